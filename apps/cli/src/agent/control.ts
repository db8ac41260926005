import { unlink } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import {
  AESC_ERROR__CLI__AGENT_NOT_RUNNING,
  AESC_ERROR__CLI__AGENT_RUNNING,
  AESC_ERROR__CLI__INVALID_JSON,
  AescError,
  type AescErrorJson,
  isAescError,
} from '@aesc/errors';
import { jsonStringify } from '../json.js';

/**
 * The control channel between `aesc channel <command>` and the session's agent: HTTP over a Unix
 * socket in the session directory (only its owner can reach it). A request is one JSON object; the
 * answer is newline-delimited JSON — `{"progress": "…"}` lines while the agent waits (confirmations,
 * a lock period), then one `{"result": …}` or `{"error": …}` (a coded error in its JSON form).
 */
export type ControlRequest = { readonly command: string } & Readonly<Record<string, unknown>>;

/** What a handler reports while it works. */
export type Progress = (line: string) => void;

export type ControlHandler = (request: ControlRequest, progress: Progress) => Promise<unknown>;

const MAX_BODY = 64 * 1024;

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AescError(AESC_ERROR__CLI__INVALID_JSON, { line: 1, reason: 'request too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const errorOf = (e: unknown) => (isAescError(e) ? e.toJSON() : { name: 'Error', message: e instanceof Error ? e.message : String(e) });

/** Serves the control socket; a socket file left by an agent that died is replaced. */
export async function serveControl(socketPath: string, handler: ControlHandler): Promise<Server> {
  if (await isAgentRunning(socketPath)) throw new AescError(AESC_ERROR__CLI__AGENT_RUNNING, { session: socketPath });
  await unlink(socketPath).catch(() => undefined);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const send = (v: unknown) => res.write(`${jsonStringify(v)}\n`);
      try {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await body(req));
        } catch (e) {
          throw isAescError(e) ? e : new AescError(AESC_ERROR__CLI__INVALID_JSON, { line: 1, reason: (e as Error).message });
        }
        if (typeof parsed !== 'object' || parsed === null || typeof (parsed as ControlRequest).command !== 'string') {
          throw new AescError(AESC_ERROR__CLI__INVALID_JSON, { line: 1, reason: 'a request is an object with a command' });
        }
        send({ result: await handler(parsed as ControlRequest, (line) => send({ progress: line })) });
      } catch (e) {
        send({ error: errorOf(e) });
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Whether an agent answers on the socket. */
export function isAgentRunning(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/', method: 'POST' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end(JSON.stringify({ command: 'ping' }));
  });
}

/**
 * Sends a request to the session's agent; progress lines go to `onProgress`. Resolves with the
 * result, rejects with the agent's coded error (rebuilt with its code), or with
 * AESC_ERROR__CLI__AGENT_NOT_RUNNING when nobody listens.
 */
export function callAgent(socketPath: string, session: string, req: ControlRequest, onProgress: (line: string) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const r = request({ socketPath, path: '/', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let buffer = '';
      let settled = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
          const msg = JSON.parse(line) as { progress?: string; result?: unknown; error?: AescErrorJson | { name: 'Error'; message: string } };
          if (msg.progress !== undefined) onProgress(msg.progress);
          else if (msg.error !== undefined) {
            settled = true;
            // The agent's coded error, rebuilt here with its code and context.
            reject(msg.error.name === 'AescError' ? AescError.fromJSON(msg.error) : new Error(msg.error.message));
          } else {
            settled = true;
            resolve(msg.result);
          }
        }
      });
      res.on('end', () => {
        if (!settled) reject(new AescError(AESC_ERROR__CLI__AGENT_NOT_RUNNING, { session }));
      });
    });
    r.on('error', () => reject(new AescError(AESC_ERROR__CLI__AGENT_NOT_RUNNING, { session })));
    r.end(JSON.stringify(req));
  });
}

