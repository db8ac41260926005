import type { AccountAddress, ChannelId, ChannelV3 } from '@aesc/encoding';
import { decodeTx, encodeTx } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__NEEDS_VM, AESC_ERROR__CHAIN__TX_REJECTED, AescError } from '@aesc/errors';
import type { AccountInfo, AdapterEvent, ChainAdapter, ChainInfo, ChannelObject } from '@aesc/chain-api';
import { PROTOCOL_VERSIONS } from './protocol.js';
import type { DevChain } from './dev-chain.js';
import { TxRejection } from './tx-rejection.js';

/** A channel object (as stored) in the adapter's form. */
export function channelObjectOf(id: ChannelId, ch: ChannelV3): ChannelObject {
  return {
    id,
    initiatorId: ch.initiatorId,
    responderId: ch.responderId,
    channelAmount: ch.channelAmount,
    initiatorAmount: ch.initiatorAmount,
    responderAmount: ch.responderAmount,
    channelReserve: ch.channelReserve,
    stateHash: ch.stateHash,
    round: ch.round,
    soloRound: ch.soloRound,
    lockPeriod: ch.lockPeriod,
    lockedUntil: ch.lockedUntil,
  };
}

/** A {@link ChainAdapter} over an embedded {@link DevChain}, in the same process. */
export function inProcessAdapter(chain: DevChain): ChainAdapter {
  const unsubscribers = new Set<() => void>();
  return Object.freeze({
    async postTx(tx: string) {
      try {
        return await chain.postTx(tx);
      } catch (e) {
        if (e instanceof TxRejection && e.reason === 'needs_vm') {
          throw new AescError(AESC_ERROR__CHAIN__NEEDS_VM, { txType: decodeTx(tx).tx.tag }, { cause: e });
        }
        if (e instanceof TxRejection) throw new AescError(AESC_ERROR__CHAIN__TX_REJECTED, { reason: e.reason, txHash: '' }, { cause: e });
        throw e;
      }
    },
    async account(address: AccountAddress): Promise<AccountInfo | null> {
      return chain.account(address) ?? null;
    },
    async nextNonce(address: AccountAddress) {
      return chain.nextNonce(address);
    },
    async channel(id: ChannelId) {
      const ch = chain.channel(id);
      return ch ? channelObjectOf(id, ch) : null;
    },
    async height() {
      return chain.height;
    },
    async info(): Promise<ChainInfo> {
      return {
        networkId: chain.rules.networkId,
        genesisHash: chain.keyBlockAt(0n)!.hash,
        protocolVersion: PROTOCOL_VERSIONS[chain.rules.protocol],
        minMinerGasPrice: chain.rules.minMinerGasPrice,
      };
    },
    async transaction(txHash: string) {
      const loc = chain.tx(txHash);
      if (loc === undefined) return null;
      return encodeTx(loc.status === 'mined' ? loc.signed : loc.tx);
    },
    async txDepth(txHash: string) {
      const loc = chain.tx(txHash);
      return loc?.status === 'mined' ? chain.height - loc.blockHeight : null;
    },
    subscribe(listener: (e: AdapterEvent) => void, options: { channels?: readonly ChannelId[]; signal?: AbortSignal } = {}) {
      const watched = new Set(options.channels ?? []);
      let last = chain.height;
      const off = chain.subscribe((e) => {
        if (e.type === 'block' && e.block.kind === 'key' && e.block.height !== last) {
          last = e.block.height;
          listener({ type: 'height', height: last });
        }
        if (e.type === 'tx' && e.channelId && watched.has(e.channelId)) {
          const ch = chain.channel(e.channelId);
          listener({ type: 'channel', channelId: e.channelId, channel: ch ? channelObjectOf(e.channelId, ch) : null, txHash: e.txHash });
        }
      });
      const stop = () => {
        off();
        unsubscribers.delete(stop);
      };
      unsubscribers.add(stop);
      options.signal?.addEventListener('abort', stop, { once: true });
      return stop;
    },
    async close() {
      for (const stop of [...unsubscribers]) stop();
    },
  });
}
