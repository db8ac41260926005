/**
 * Test support shared by the node's tests, the fuzzer and the kill test (private tooling: no
 * package's `src` imports it).
 */
export { type FrameBits, RawWs, type RawReceived, type RawWsOptions, wsFrame } from './raw-ws.js';
export { type PeerProxy, type PeerSide, type PeerTransport, type ProxyLink, type Tamper, peerProxy } from './peer-proxy.js';
export { Rng } from './rng.js';
