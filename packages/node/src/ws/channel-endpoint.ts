import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChannelNode } from '../channel-node.js';
import { turnBatcher } from './turn-batcher.js';

/** Frames larger than this are refused (the node's cowboy default is 64 KiB for text frames; generic messages are ≤ 65000 bytes). */
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Serves the node's `/channel` WebSocket endpoint on an HTTP server (the one that serves the
 * chain's HTTP API, so one port carries both, as the æternity node's ports 3013/3014 do together
 * here). Returns a function that detaches it.
 */
export function serveChannelEndpoint(node: ChannelNode, server: Server, path = '/channel'): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    if (url.pathname !== path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => void accept(node, ws, socket, `ws://localhost${req.url}`));
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  };
}

async function accept(node: ChannelNode, ws: WebSocket, socket: Duplex, url: string): Promise<void> {
  const early: string[] = [];
  let onFrame: ((text: string) => void) | undefined;
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (onFrame) onFrame(text);
    else early.push(text);
  });
  // Frames sent to this client in one turn of the event loop leave in one socket write.
  const batch = turnBatcher(socket);
  const sink = {
    send: (frame: string) => {
      if (ws.readyState === ws.OPEN) batch(() => ws.send(frame));
    },
    close: () => ws.close(),
  };
  const result = await node.connect(url, sink);
  if (!result.ok) {
    ws.send(result.frame);
    ws.close();
    return;
  }
  onFrame = (t) => result.session.onFrame(t);
  ws.on('close', () => result.session.onClose());
  for (const t of early.splice(0)) onFrame(t);
}
