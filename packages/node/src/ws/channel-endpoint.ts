import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChannelNode, ClientSession } from '../channel-node.js';
import { channelRoute } from './channel-route.js';
import { turnBatcher } from './turn-batcher.js';

/** Options of {@link serveChannelEndpoint}; every limit is per connection. */
export interface ChannelEndpointOptions {
  /** The endpoint's path (default `/channel`). */
  readonly path?: string;
  /**
   * The largest message a client may send, in bytes (default 1 MiB; generic messages are ≤ 65,000
   * bytes). A larger one closes the connection with 1009.
   */
  readonly maxMessageBytes?: number;
  /**
   * Bytes waiting to go out to a client beyond which its frames are not read until they drained
   * (default 1 MiB): a client that sends requests and does not read the answers is slowed to the
   * pace it reads at.
   */
  readonly pauseAtBytes?: number;
  /**
   * Bytes waiting to go out to a client beyond which the connection is dropped (default 8 MiB): a
   * client that does not read what the node sends it (the peer's messages, its rounds) is gone, as
   * one that disconnected, and its FSM goes on as for any client that left.
   */
  readonly maxBufferedBytes?: number;
  /** How long a closing handshake may take before the socket is destroyed (ms, default 5000). */
  readonly closeTimeoutMs?: number;
}

/** The defaults of {@link ChannelEndpointOptions}. */
export const CHANNEL_ENDPOINT_DEFAULTS = {
  path: '/channel',
  maxMessageBytes: 1024 * 1024,
  pauseAtBytes: 1024 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
  closeTimeoutMs: 5000,
} as const satisfies Required<ChannelEndpointOptions>;

const STATUS_TEXT = { 400: 'Bad Request', 404: 'Not Found' } as const;

/** Frames that may come before the session is ready (none should: the socket is paused until then). */
const MAX_EARLY_FRAMES = 64;

/**
 * Serves the node's `/channel` WebSocket endpoint on an HTTP server (the one that serves the
 * chain's HTTP API, so one port carries both, as the æternity node's ports 3013/3014 do together
 * here). Returns a function that detaches it.
 *
 * Nothing a client sends stops the process: an upgrade to another path is answered as the node's
 * cowboy answers it (404, or 400 for a path it cannot read) and closed; a WebSocket protocol
 * violation closes that one connection with the code RFC 6455 gives it (1002, 1007 invalid UTF-8,
 * 1009 too big); every limit above holds per connection.
 */
export function serveChannelEndpoint(node: ChannelNode, server: Server, options: ChannelEndpointOptions = {}): () => Promise<void> {
  const o = { ...CHANNEL_ENDPOINT_DEFAULTS, ...options };
  // (`closeTimeout` is ws 8.19's; its types do not have it yet)
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes, ...({ closeTimeout: o.closeTimeoutMs } as object) });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // (a socket error before ws takes the socket over must not be an unhandled 'error' event)
    socket.on('error', () => socket.destroy());
    const route = channelRoute(req.url, o.path);
    if (route !== 200) {
      socket.end(`HTTP/1.1 ${route} ${STATUS_TEXT[route]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => socket.destroy());
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      accept(node, ws, socket as Socket, `ws://localhost${req.url}`, o).catch(() => ws.terminate());
    });
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  };
}

async function accept(node: ChannelNode, ws: WebSocket, socket: Socket, url: string, o: Required<ChannelEndpointOptions>): Promise<void> {
  // ws has already closed the connection with the code a protocol violation calls for; the
  // listener only keeps its error from being an unhandled 'error' event.
  ws.on('error', () => undefined);
  let session: ClientSession | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    session?.onClose();
  };
  ws.on('close', end);
  // A close frame ends the session when it arrives, as the node's cowboy ends its handler: ws
  // answers it and ends its side of the socket ('finish'), then waits up to closeTimeoutMs for the
  // client's TCP close, which a client may never send.
  socket.once('finish', end);

  const early: string[] = [];
  // While the connect URL is checked (chain lookups), the client's frames wait in its socket.
  ws.pause();
  ws.on('message', (data, isBinary) => {
    // (a binary frame is no JSON text: the parse error it gets)
    const text = isBinary ? '' : data.toString();
    if (session === undefined) {
      if (early.length >= MAX_EARLY_FRAMES) ws.close(1008, 'too many frames before the session is ready');
      else early.push(text);
      return;
    }
    session.onFrame(text);
  });
  const readAtClientsPace = () => {
    if (socket.writableLength <= o.pauseAtBytes || ws.isPaused) return;
    ws.pause();
    socket.once('drain', () => ws.resume());
  };

  // Frames sent to this client in one turn of the event loop leave in one socket write.
  const batch = turnBatcher(socket);
  const sink = {
    send: (frame: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (socket.writableLength + frame.length > o.maxBufferedBytes) {
        ws.terminate();
        return;
      }
      batch(() => ws.send(frame));
      readAtClientsPace();
    },
    close: () => ws.close(),
  };
  const result = await node.connect(url, sink);
  if (!result.ok) {
    if (ws.readyState === ws.OPEN) ws.send(result.frame);
    ws.close();
    return;
  }
  session = result.session;
  // gone while its connect URL was checked: the FSM hears of it at once
  if (ended) return void session.onClose();
  for (const t of early.splice(0)) session.onFrame(t);
  ws.resume();
  readAtClientsPace();
}
