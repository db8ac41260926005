import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { turnBatcher } from '@aesc/node';
import WebSocket, { WebSocketServer } from 'ws';

/** One frame of a recorded round: on which client's socket, and whether the node sent it. */
export interface TraceFrame {
  readonly client: 'i' | 'r';
  readonly fromNode: boolean;
  readonly text: string;
}

/**
 * The message floor of a round: the frames one recorded transfer exchanged (`trace`, in the order
 * they were sent), passed again over loopback WebSockets between a bare `ws` server and two `ws`
 * clients in this process, with no work in between: no JSON, no FSM, no crypto. The server sends
 * what the node sent, and what the node sent to one client in one event-loop turn leaves in one
 * write, with the node's own `turnBatcher`; each side sends its next frames once it got
 * all of the other side's.
 *
 * What it shows: the part of a round that is system calls, the loopback TCP path and `ws` framing,
 * which no change to the node can take away while the protocol has these frames.
 */
export async function messageFloor(
  trace: readonly TraceFrame[],
  /** Called with each frame as it arrives, and where (tests). */
  seen?: (at: 'node' | 'i' | 'r', text: string) => void,
): Promise<{ round: () => Promise<void>; close: () => Promise<void> }> {
  // Consecutive frames from the same side form a step; a step starts when the previous one arrived.
  const steps: TraceFrame[][] = [];
  for (const f of trace) {
    const last = steps.at(-1);
    if (last !== undefined && last[0]!.fromNode === f.fromNode) last.push(f);
    else steps.push([f]);
  }
  if (steps.length === 0 || steps[0]![0]!.fromNode) throw new Error('a recorded round starts with a client frame');

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server: Server = createServer();
  const serverSide = new Map<'i' | 'r', { ws: WebSocket; batch: (write: () => void) => void }>();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const who = req.url === '/i' ? 'i' : 'r';
      // As the node's endpoint: the frames sent to one client in one turn leave in one write.
      serverSide.set(who, { ws, batch: turnBatcher(socket) });
      ws.on('message', (data) => {
        seen?.('node', String(data));
        arrived();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const clients = new Map<'i' | 'r', WebSocket>();
  for (const who of ['i', 'r'] as const) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/${who}`, { perMessageDeflate: false });
    ws.on('message', (data) => {
      seen?.(who, String(data));
      arrived();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    clients.set(who, ws);
  }
  while (serverSide.size < 2) await new Promise((resolve) => setImmediate(resolve));

  let step = 0;
  let got = 0;
  let done: (() => void) | undefined;

  function send(s: number): void {
    const frames = steps[s]!;
    if (!frames[0]!.fromNode) {
      for (const f of frames) clients.get(f.client)!.send(f.text);
      return;
    }
    for (const f of frames) {
      const side = serverSide.get(f.client)!;
      side.batch(() => side.ws.send(f.text));
    }
  }

  function arrived(): void {
    if (++got < steps[step]!.length) return;
    got = 0;
    step++;
    if (step === steps.length) {
      const resolve = done!;
      done = undefined;
      resolve();
      return;
    }
    send(step);
  }

  return {
    round: () =>
      new Promise<void>((resolve) => {
        step = 0;
        got = 0;
        done = resolve;
        send(0);
      }),
    close: async () => {
      for (const ws of clients.values()) ws.terminate();
      for (const { ws } of serverSide.values()) ws.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
