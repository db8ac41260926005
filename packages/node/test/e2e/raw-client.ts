import { signTransaction } from '@aesc/crypto';
import { decodeTx, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { addSignature } from '@aesc/crypto';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { devAccounts } from '@aesc/chain';
import { buildConnectUrl } from '@aesc/channel-api';
import WebSocket from 'ws';
import type { NodeHandle } from '../dev-node.js';

/** A frame from the node, parsed losslessly. */
export type Frame = Record<string, unknown> & { method?: string; id?: unknown; params?: { channel_id?: string; data?: Record<string, unknown> } };

/**
 * A bare JSON-RPC client on the node's WebSocket, as any client written for the æternity node
 * would be (tests only): it records every frame and, unless told otherwise, signs what the node
 * asks it to sign with its secret key.
 */
export class RawClient {
  readonly frames: Frame[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** When set, decides the reply to a sign request (return undefined to not answer). */
  onSign: ((tag: string, tx: string) => Promise<Record<string, unknown> | undefined>) | undefined;
  #waiters = new Set<() => void>();
  #seen = 0;

  constructor(
    url: string,
    readonly secretKey: string,
    readonly networkId: string,
  ) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (d) => {
      const f = parseJson(d.toString()) as Frame;
      this.frames.push(f);
      if (f.method?.startsWith('channels.sign.')) void this.#sign(f);
      for (const w of [...this.#waiters]) w();
    });
  }

  async #sign(f: Frame): Promise<void> {
    const tag = f.method!.slice('channels.sign.'.length);
    const tx = f.params!.data!.signed_tx as string;
    const reply = this.onSign ? await this.onSign(tag, tx) : { signed_tx: await this.signed(tx) };
    if (reply === undefined) return;
    this.send({ jsonrpc: '2.0', method: `channels.${REPLY[tag] ?? tag}`, params: reply });
  }

  /** The tx with this client's signature added. */
  async signed(tx: string, secretKey = this.secretKey): Promise<string> {
    const s = decodeTx(tx);
    const sig = await signTransaction(encodeObject(s.tx), this.networkId, fromHex(secretKey)!);
    return encodeTx(addSignature(s, sig));
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : stringifyJson(message));
  }

  /** The next frame (after the ones already taken) that matches. */
  async next(pred: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.#seen; i < this.frames.length; i++) {
        if (pred(this.frames[i]!)) {
          this.#seen = i + 1;
          return this.frames[i]!;
        }
      }
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${this.frames.slice(this.#seen).map((f) => f.method ?? 'reply').join(', ')}`);
      await new Promise<void>((r) => {
        this.#waiters.add(r);
        setTimeout(() => {
          this.#waiters.delete(r);
          r();
        }, 50);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

const REPLY: Record<string, string> = { close_solo_sign: 'close_solo_sign', slash_tx: 'slash_tx', settle_sign: 'settle_sign', snapshot_solo_tx: 'snapshot_solo_sign' };

export const info = (event: string) => (f: Frame) => f.method === 'channels.info' && f.params?.data?.event === event;
export const method = (m: string) => (f: Frame) => f.method === m;
export const reply = (id: number) => (f: Frame) => f.id === id || f.id === BigInt(id);

let nextPort = 15000;

/**
 * The connect URL of a test channel between `a` and `b` (1,000,000 aettos each, reserve 1, lock
 * period 2), the responder's FSM at `port`; `extra` adds or overrides connect params.
 */
export function rawConnectUrl(
  node: NodeHandle,
  a: { readonly address: string },
  b: { readonly address: string },
  role: string,
  port: number,
  extra: Record<string, string | number> = {},
): string {
  return buildConnectUrl(node.channelUrl, {
    protocol: 'json-rpc',
    role,
    host: '127.0.0.1',
    port,
    initiator_id: a.address,
    responder_id: b.address,
    initiator_amount: 1000000,
    responder_amount: 1000000,
    push_amount: 0,
    channel_reserve: 1,
    lock_period: 2,
    ...extra,
  });
}

/**
 * Opens a channel between the first two dev accounts with bare clients that sign everything
 * (minimum depth 0, so no key blocks are needed), and waits until both have the first state.
 */
export async function openRawChannel(
  node: NodeHandle,
  extra: Record<string, string | number> = {},
  perRole: { readonly initiator?: Record<string, string | number>; readonly responder?: Record<string, string | number> } = {},
) {
  const [a, b] = await devAccounts(2);
  const port = nextPort++;
  const url = (role: 'initiator' | 'responder') =>
    rawConnectUrl(node, a!, b!, role, port, { minimum_depth: 0, minimum_depth_strategy: 'plain', ...extra, ...perRole[role] });
  const networkId = node.node.chainInfo.networkId;
  const r = new RawClient(url('responder'), b!.secretKey, networkId);
  const i = new RawClient(url('initiator'), a!.secretKey, networkId);
  await Promise.all([i.next(info('open')), r.next(info('open'))]);
  await Promise.all([i.next(method('channels.update')), r.next(method('channels.update'))]);
  return { i, r, a: a!, b: b! };
}
