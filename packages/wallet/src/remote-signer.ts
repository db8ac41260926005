import type { SignatureForm } from '@aesc/crypto';
import { type AccountAddress, decodeApi, encodeApi, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__WALLET__SIGNING_ABORTED, AescError, isAescError } from '@aesc/errors';
import { type TransportConnector, createRpcClient, frameError, frameResult, parseFrame } from '@aesc/rpc';
import type { Signer } from './signer.js';

/** The JSON-RPC method a remote signer answers: `{ tx: ba_…, networkId, form } → { signature: sg_… }`. */
export const SIGN_METHOD = 'aesc.signTransaction';
/** The method that tells the signer's account: `{} → { address: ak_… }`. */
export const ADDRESS_METHOD = 'aesc.address';

/**
 * A signer whose key lives in another process, reached over JSON-RPC (e.g. `webSocketConnector`
 * from @aesc/rpc to a process running {@link serveSigner}). Its account is read once at start.
 */
export async function remoteSigner(connect: TransportConnector): Promise<Signer & { close(): void }> {
  const rpc = createRpcClient({ connect, reconnect: false });
  await rpc.ready();
  const { address } = await rpc.request<{ address: string }>(ADDRESS_METHOD, {});
  if (!isEncoded(address, 'ak')) throw new AescError(AESC_ERROR__WALLET__SIGNING_ABORTED, { address: String(address) });
  return Object.freeze({
    address: address as AccountAddress,
    async signTransaction(tx: Uint8Array, options: { networkId: string; form?: SignatureForm; signal?: AbortSignal }) {
      const { signature } = await rpc.request<{ signature: string }>(
        SIGN_METHOD,
        { tx: encodeApi('ba', tx), networkId: options.networkId, form: options.form ?? 'raw' },
        options.signal === undefined ? {} : { signal: options.signal },
      );
      return decodeApi(signature, 'sg');
    },
    close: () => rpc.close(),
  });
}

/**
 * Answers remote-signer requests with `signer` on one text connection: give it each frame that
 * arrives and a function that sends a frame back (a WebSocket server's socket, for instance).
 * `approve` may refuse a request (a confirmation prompt, a policy).
 */
export function serveSigner(
  signer: Signer,
  options: { readonly approve?: (tx: Uint8Array, networkId: string) => Promise<boolean> } = {},
): (text: string, reply: (text: string) => void) => Promise<void> {
  return async (text, reply) => {
    const frame = parseFrame(text);
    const first = frame.ok && !frame.batch ? frame.messages[0] : undefined;
    if (first === undefined || first.kind !== 'request') {
      reply(frameError({ id: null, code: frame.ok ? -32000 : frame.rpcCode }));
      return;
    }
    const { id, method, params } = first.message as { id: number | string; method: string; params?: Record<string, unknown> };
    try {
      if (method === ADDRESS_METHOD) {
        reply(frameResult(id, { address: signer.address }));
        return;
      }
      if (method !== SIGN_METHOD) {
        reply(frameError({ id, code: -32601 }));
        return;
      }
      const tx = decodeApi(String(params?.tx), 'ba');
      const networkId = String(params?.networkId ?? '');
      const form: SignatureForm = params?.form === 'hash' ? 'hash' : 'raw';
      if (options.approve !== undefined && !(await options.approve(tx, networkId))) {
        reply(frameError({ id, code: 3, message: 'Rejected', data: [{ code: 6003, message: 'declined by the signer' }] }));
        return;
      }
      const signature = await signer.signTransaction(tx, { networkId, form });
      reply(frameResult(id, { signature: encodeApi('sg', signature) }));
    } catch (e) {
      reply(frameError({ id, code: -32602, message: isAescError(e) ? e.message : 'Invalid params' }));
    }
  };
}
