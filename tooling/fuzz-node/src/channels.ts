import { buildConnectUrl } from '@aesc/channel-api';
import { type PeerMessage, connectPeer, listenPeers } from '@aesc/node';
import { type Tamper as TamperWith, peerProxy } from '@aesc/test-support';
import { Party, isInfo, isMethod } from './party.js';

/** A dev account: address and secret key. */
export interface Account {
  readonly address: string;
  readonly secretKey: string;
}

/** An open channel the fuzzer holds: its two parties. */
export interface Channel {
  readonly i: Party;
  readonly r: Party;
  readonly a: Account;
  readonly b: Account;
  readonly port: number;
  /** Closes both parties (and its proxy). */
  close(): Promise<void>;
}

/** A connect URL between `a` (initiator) and `b` on `node`, the responder on `port`. */
export function connectUrl(channelUrl: string, role: 'initiator' | 'responder', a: Account, b: Account, port: number, extra: Record<string, string | number> = {}): string {
  return buildConnectUrl(channelUrl, {
    protocol: 'json-rpc',
    role,
    host: '127.0.0.1',
    port,
    initiator_id: a.address,
    responder_id: b.address,
    initiator_amount: 1_000_000_000,
    responder_amount: 1_000_000_000,
    push_amount: 0,
    channel_reserve: 1,
    lock_period: 2,
    minimum_depth: 0,
    minimum_depth_strategy: 'plain',
    ...extra,
  });
}

/** What a man in the middle does with a message: pass it (changed or not), or drop it. */
export type Tamper = TamperWith<PeerMessage>;

/**
 * Opens a channel with honest parties that sign what they are asked (their policies may be
 * changed later), optionally through a man in the middle; resolves once both have the first
 * state, or undefined when it did not open within `timeoutMs`.
 */
export async function openChannel(
  channelUrl: string,
  networkId: string,
  a: Account,
  b: Account,
  port: number,
  options: { readonly tamper?: Tamper; readonly extra?: Record<string, string | number>; readonly timeoutMs?: number } = {},
): Promise<Channel | undefined> {
  const proxy = options.tamper ? await peerProxy({ listenPeers, connectPeer }, port, options.tamper) : undefined;
  const r = new Party(connectUrl(channelUrl, 'responder', a, b, port, options.extra), b.secretKey, networkId);
  const close = async () => {
    i?.close();
    r.close();
    await proxy?.close();
  };
  let i: Party | undefined;
  try {
    await r.opened;
    await r.next(isInfo('fsm_up'), 5000);
    i = new Party(connectUrl(channelUrl, 'initiator', a, b, proxy?.port ?? port, options.extra), a.secretKey, networkId);
    await i.opened;
    const timeout = options.timeoutMs ?? 20_000;
    const [ui, ur] = await Promise.all([i.next(isMethod('channels.update'), timeout), r.next(isMethod('channels.update'), timeout)]);
    if (ui === undefined || ur === undefined) {
      await close();
      return undefined;
    }
    return { i, r, a, b, port, close };
  } catch {
    await close();
    return undefined;
  }
}

/** Both parties' latest co-signed state (`get.offchain_state`), or undefined if one did not answer. */
export async function states(c: Channel, id: number): Promise<[string, string] | undefined> {
  const [x, y] = await Promise.all([c.i.ask({ method: 'channels.get.offchain_state', params: {} }, id), c.r.ask({ method: 'channels.get.offchain_state', params: {} }, id)]);
  const sx = (x?.result as { signed_tx?: string } | undefined)?.signed_tx;
  const sy = (y?.result as { signed_tx?: string } | undefined)?.signed_tx;
  return sx === undefined || sy === undefined ? undefined : [sx, sy];
}
