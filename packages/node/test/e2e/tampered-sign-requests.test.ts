import type { ChannelClient, ChannelEvent } from '@aesc/channel';
import { encodeApi, decodeTx, encodeTx } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH,
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  isAescError,
} from '@aesc/errors';
import { type TransportConnector, parseJson, stringifyJson } from '@aesc/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';
import { type Pair, openPair, withBlocks } from './clients.js';

// Issue 4, must-show 2, over a real connection: the node asks a client to sign a tx that differs
// from what was asked in one field only (a man in the middle rewrites the sign request). The
// client must not sign it: it answers with the abort code (1, validation error), the app sees the
// field's coded error, and the channel stays at its round — the next round works.

type Role = 'initiator' | 'responder';
interface Tamper {
  readonly role: Role;
  readonly tag: string;
  readonly field: string;
  readonly change: (v: unknown) => unknown;
}

let armed: Tamper | undefined;
let tampered = 0;
const sent: Record<Role, Record<string, unknown>[]> = { initiator: [], responder: [] };

/** Rewrites one field of the inner tx of the next `channels.sign.<tag>` a party receives, when armed. */
const middleman =
  (role: Role, inner: TransportConnector): TransportConnector =>
  async (handlers, signal) => {
    const t = await inner(
      {
        ...handlers,
        onMessage: (text) => {
          const m = parseJson(text) as { method?: string; params?: { data?: { signed_tx?: string } } };
          const a = armed;
          if (a !== undefined && a.role === role && m.method === `channels.sign.${a.tag}` && m.params?.data?.signed_tx !== undefined) {
            armed = undefined;
            tampered++;
            const signed = decodeTx(m.params.data.signed_tx);
            const tx = signed.tx as unknown as Record<string, unknown>;
            expect(tx, `${a.tag} has ${a.field}`).toHaveProperty(a.field);
            m.params.data.signed_tx = encodeTx({ ...signed, tx: { ...tx, [a.field]: a.change(tx[a.field]) } as never });
            handlers.onMessage(stringifyJson(m));
            return;
          }
          handlers.onMessage(text);
        },
      },
      signal,
    );
    return {
      ...t,
      send: (text) => {
        sent[role].push(parseJson(text) as Record<string, unknown>);
        t.send(text);
      },
    };
  };

let node: NodeHandle;
let pair: Pair;

beforeAll(async () => {
  node = await startNode({ port: 0 });
  pair = await openPair(node, { port: 14_061, wrap: middleman });
  await withBlocks(node, () => Promise.all([pair.initiator.waitFor('open'), pair.responder.waitFor('open')]));
}, 60_000);

afterAll(async () => {
  pair?.initiator.close();
  pair?.responder.close();
  await node?.close();
});

const other = <P extends 'ak' | 'ch' | 'st'>(prefix: P) => encodeApi(prefix, new Uint8Array(32).fill(7));
const plusOne = (v: unknown) => (v as bigint) + 1n;

/**
 * Arms the tamper, runs the action, and checks: the tampered tx was never signed (the party's reply
 * carries the abort code and no tx), the app got the field's coded error, and the round is unchanged.
 */
async function refused(t: Tamper, code: number, action: () => Promise<unknown>) {
  const client: ChannelClient = t.role === 'initiator' ? pair.initiator : pair.responder;
  const roundBefore = client.state().last!.state.round;
  const events: ChannelEvent[] = [];
  const off = client.on((e) => events.push(e));
  const before = { tampered, sent: sent[t.role].length };
  armed = t;
  const outcome = await withBlocks(node, () => action().then(() => 'done', (e: unknown) => e));
  armed = undefined;
  off();
  expect(tampered, `the ${t.tag} request reached the middleman`).toBe(before.tampered + 1);
  // What the party sent since: the abort for that sign request, and no tx signed for it.
  const replies = sent[t.role].slice(before.sent).filter((m) => typeof m.method === 'string' && (m.method as string).startsWith('channels.'));
  const reply = replies.find((m) => (m.params as Record<string, unknown> | undefined)?.error !== undefined);
  expect(reply?.params, `${t.tag} ${t.field}`).toEqual({ error: 1 });
  expect(replies.some((m) => (m.params as Record<string, unknown> | undefined)?.signed_tx !== undefined)).toBe(false);
  const refusal = events.find((e) => e.type === 'refused');
  expect(refusal?.type === 'refused' && refusal.error.code, `${t.tag} ${t.field}`).toBe(code);
  expect(outcome).not.toBe('done');
  expect(isAescError(outcome), String(outcome)).toBe(true);
  await client.idle();
  expect(client.state().last!.state.round).toBe(roundBefore);
}

describe('a sign request that differs from what was asked in one field is never signed', () => {
  const transferCases: [field: string, change: (v: unknown) => unknown, code: number][] = [
    ['channelId', () => other('ch'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['round', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['stateHash', () => other('st'), AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH],
  ];

  it.each(transferCases)('own transfer (channels.sign.update), %s', async (field, change, code) => {
    const [, b] = pair.accounts;
    await refused({ role: 'initiator', tag: 'update', field, change }, code, () => pair.initiator.transfer(b.address, 10n));
  });

  it.each(transferCases)('the peer’s transfer (channels.sign.update_ack), %s', async (field, change, code) => {
    const [, b] = pair.accounts;
    await refused({ role: 'responder', tag: 'update_ack', field, change }, code, () => pair.initiator.transfer(b.address, 10n));
  });

  it.each([
    ['channelId', () => other('ch'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['fromId', () => other('ak'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['amount', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['round', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['stateHash', () => other('st'), AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH],
  ] as const)('deposit (channels.sign.deposit_tx), %s', async (field, change, code) => {
    await refused({ role: 'initiator', tag: 'deposit_tx', field, change }, code, () => pair.initiator.deposit(1_000n));
  });

  it.each([
    ['fee', { fee: 10n ** 15n }],
    ['nonce', { nonce: 1_000n }],
  ] as const)('deposit with the client’s own %s, the node’s tx carrying another', async (field, options) => {
    await refused({ role: 'initiator', tag: 'deposit_tx', field, change: plusOne }, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, () =>
      pair.initiator.deposit(1_000n, options),
    );
  });

  it.each([
    ['toId', () => other('ak'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['amount', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['stateHash', () => other('st'), AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH],
  ] as const)('withdraw (channels.sign.withdraw_tx), %s', async (field, change, code) => {
    await refused({ role: 'responder', tag: 'withdraw_tx', field, change }, code, () => pair.responder.withdraw(1_000n));
  });

  it.each([
    ['payload', (): unknown => null, AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH],
    ['fromId', () => other('ak'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
  ] as const)('close solo (channels.sign.close_solo_sign), %s', async (field, change, code) => {
    const [, b] = pair.accounts;
    await pair.initiator.transfer(b.address, 1n); // the last round is off-chain: the payload must carry it
    await refused({ role: 'initiator', tag: 'close_solo_sign', field, change }, code, () => pair.initiator.closeSolo());
  });

  it.each([
    ['initiatorAmountFinal', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['responderAmountFinal', plusOne, AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
    ['fromId', () => other('ak'), AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH],
  ] as const)('mutual close (channels.sign.shutdown_sign), %s', async (field, change, code) => {
    await refused({ role: 'initiator', tag: 'shutdown_sign', field, change }, code, () => pair.initiator.shutdown());
  });

  it('after every refusal the channel goes on: a transfer and a mutual close that pays out the kept state', async () => {
    const [a, b] = pair.accounts;
    const round = pair.initiator.state().last!.state.round;
    expect(await pair.initiator.transfer(b.address, 5n)).toBe(round + 1n);
    expect(pair.responder.state().last!.state.round).toBe(round + 1n);
    const closed = new Promise<void>((resolve) => pair.initiator.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
    const before = node.chain!.chain.account(a.address)!.balance;
    await pair.initiator.shutdown();
    await withBlocks(node, () => closed);
    expect(node.chain!.chain.account(a.address)!.balance).toBeGreaterThan(before);
  });
});
