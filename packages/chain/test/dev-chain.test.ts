import { channelIdFromCreateTx, txHash } from '@aesc/crypto';
import { type ChannelId, type Transaction, decodeTx } from '@aesc/encoding';
import { applyUpdates, buildPoi, encodedOffchainStateHash, initialState } from '@aesc/state';
import { describe, expect, it } from 'vitest';
import { accountsP, createTx, feeFor, sign } from './fixtures.js';
import { DevChain } from '../src/dev-chain.js';
import { devGenesis } from '../src/genesis.js';
import { TxRejection } from '../src/tx-rejection.js';

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (e instanceof TxRejection) return e.reason;
    throw e;
  }
}

describe('DevChain at Ceres: a channel’s whole on-chain life with txs signed here', () => {
  it('create → deposit → close_solo → (lock period) → settle, with the node’s timing', async () => {
    const [, , i, r] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    try {
      const create = await createTx(i!, r!, 1n, 5n);
      const id = channelIdFromCreateTx(create) as ChannelId;
      await chain.postTx(create);
      const s1 = initialState({ initiator: i!.address, initiatorAmount: 10n ** 18n, responder: r!.address, responderAmount: 10n ** 18n });

      const s2 = applyUpdates(s1, [{ tag: 'channel_offchain_update_deposit', version: 1, from: i!.address, amount: 1000n }]);
      const deposit = (fee: bigint): Transaction => ({
        tag: 'channel_deposit_tx', version: 1, channelId: id, fromId: i!.address, amount: 1000n, ttl: 0n, fee,
        stateHash: encodedOffchainStateHash(s2), round: 2n, nonce: 2n,
      });
      await chain.postTx(await sign(deposit(feeFor(deposit)), [i!, r!]));
      expect(chain.channel(id)).toMatchObject({ channelAmount: 2n * 10n ** 18n + 1000n, round: 2n, stateHash: encodedOffchainStateHash(s2) });

      // solo close on the last on-chain state (empty payload), PoI of round 2
      const closeSolo = (fee: bigint): Transaction => ({
        tag: 'channel_close_solo_tx', version: 1, channelId: id, fromId: r!.address, payload: null,
        poi: buildPoi(s2.trees, { accounts: [i!.address, r!.address] }), ttl: 0n, fee, nonce: 1n,
      });
      await chain.emitKeyBlocks(2);
      await chain.postTx(await sign(closeSolo(feeFor(closeSolo)), [r!]));
      const closing = chain.channel(id)!;
      expect(closing.lockedUntil).toBe(2n + 5n);
      expect([closing.initiatorAmount, closing.responderAmount]).toEqual([10n ** 18n + 1000n, 10n ** 18n]);

      const settle = (fee: bigint): Transaction => ({
        tag: 'channel_settle_tx', version: 1, channelId: id, fromId: i!.address,
        initiatorAmountFinal: 10n ** 18n + 1000n, responderAmountFinal: 10n ** 18n, ttl: 0n, fee, nonce: 3n,
      });
      const settleTx = await sign(settle(feeFor(settle)), [i!]);
      await chain.emitKeyBlocks(4); // height 6 < locked_until 7
      // As on the node, the pool takes a settle before the lock runs out; it waits there.
      expect(await chain.postTx(settleTx)).toBe(txHash(settleTx));
      expect(chain.tx(txHash(settleTx))?.status).toBe('pending');
      expect(chain.checkPoolTx(txHash(settleTx))).toBe('channel_not_closed');
      expect(await reason(chain.postTx(settleTx))).toBe('already_known');
      const before = chain.account(i!.address)!.balance;
      await chain.emitKeyBlocks(1); // height 7: the micro block after the key block takes it
      expect(chain.tx(txHash(settleTx))?.status).toBe('mined');
      expect(chain.checkPoolTx(txHash(settleTx))).toBe('included');
      expect(await reason(chain.postTx(settleTx))).toBe('already_accepted');
      expect(chain.channel(id)).toBeUndefined();
      const fee = (decodeTx(settleTx).tx as { fee: bigint }).fee;
      expect(chain.account(i!.address)!.balance).toBe(before + 10n ** 18n + 1000n - fee);
    } finally {
      await chain.close();
    }
  });
});

describe('DevChain: a settle posted right after a solo close', () => {
  /** A channel (lock period `lockPeriod`) closed solo at the top; returns the chain and the settle to post, signed. */
  async function closedSolo(lockPeriod: bigint) {
    const [, , i, r] = await accountsP;
    const chain = DevChain.open({ genesis: devGenesis(await accountsP) });
    const create = await createTx(i!, r!, 1n, lockPeriod);
    const id = channelIdFromCreateTx(create) as ChannelId;
    await chain.postTx(create);
    const s1 = initialState({ initiator: i!.address, initiatorAmount: 10n ** 18n, responder: r!.address, responderAmount: 10n ** 18n });
    const closeSolo = (fee: bigint): Transaction => ({
      tag: 'channel_close_solo_tx', version: 1, channelId: id, fromId: r!.address, payload: null,
      poi: buildPoi(s1.trees, { accounts: [i!.address, r!.address] }), ttl: 0n, fee, nonce: 1n,
    });
    await chain.postTx(await sign(closeSolo(feeFor(closeSolo)), [r!]));
    const settle = (fee: bigint): Transaction => ({
      tag: 'channel_settle_tx', version: 1, channelId: id, fromId: i!.address,
      initiatorAmountFinal: 10n ** 18n, responderAmountFinal: 10n ** 18n, ttl: 0n, fee, nonce: 2n,
    });
    return { chain, id, settle: await sign(settle(feeFor(settle)), [i!]) };
  }

  it('waits out a lock period of 19 generations and is mined; with 20 it has used up the node’s 20 failures a generation early and is dropped', async () => {
    for (const [lockPeriod, outcome] of [[19n, 'mined'], [20n, 'dropped']] as const) {
      const { chain, id, settle } = await closedSolo(lockPeriod);
      try {
        const hash = await chain.postTx(settle); // failure 1 (channel_not_closed), at the post
        expect(chain.channel(id)!.lockedUntil).toBe(chain.height + lockPeriod);
        for (let k = 0; k < 18; k++) {
          await chain.emitKeyBlocks(1); // failures 2 … 19, one after each key block
          expect(chain.tx(hash)?.status, `${lockPeriod}: after ${k + 1} key blocks`).toBe('pending');
        }
        await chain.emitKeyBlocks(1); // the 19th key block: the lock of 19 has run out; for 20, failure 20
        expect(chain.tx(hash)?.status ?? 'dropped', `lock period ${lockPeriod}`).toBe(outcome);
        expect(chain.channel(id) === undefined).toBe(outcome === 'mined');
      } finally {
        await chain.close();
      }
    }
  });
});

