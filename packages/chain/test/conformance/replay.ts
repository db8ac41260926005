import type { Transcript } from '@aesc/corpus';
import type { AccountAddress, ChannelV3, SignedTx } from '@aesc/encoding';
import { channelIdFromCreateTx } from '@aesc/crypto';
import { type LedgerState, emptyLedger, getChannel, putAccount, txChannelId, txOrigin, type SupportedTx, isSupportedTx } from '../../src/ledger.js';
import { type ChainRules, defaultRules } from '../../src/protocol.js';
import { TxRejection } from '../../src/tx-rejection.js';
import { validateAndApply } from '../../src/tx-validation.js';
import { onChainTxs } from './corpus-txs.js';

/** The rules the corpus was recorded with. */
export function corpusRules(networkId: string): ChainRules {
  return defaultRules({ protocol: 'iris', networkId, acceptCreateV1: true });
}

/** The network id a transcript's txs are signed for (see corpus README: Lima-era files). */
export function networkIdOf(t: Transcript): string {
  const lima = ['changeable_fee/sc_ws_set_fee_', 'continuous/sc_ws_update_conflict'];
  return lima.some((p) => t.file.startsWith(p)) ? 'local_lima_testnet' : 'local_iris_testnet';
}

/** A genesis funding every origin and signer of the txs, each with the nonce before its first tx. */
export function genesisFor(txs: readonly SignedTx[]): LedgerState {
  const nonces = new Map<AccountAddress, bigint>();
  const accounts = new Set<AccountAddress>();
  for (const s of txs) {
    const tx = s.tx;
    if (!isSupportedTx(tx)) continue;
    const origin = txOrigin(tx);
    if (!nonces.has(origin)) nonces.set(origin, tx.nonce - 1n);
    accounts.add(origin);
    if (tx.tag === 'channel_create_tx') {
      accounts.add(tx.initiatorId);
      accounts.add(tx.responderId);
    }
  }
  let state = emptyLedger();
  for (const a of accounts) state = putAccount(state, a, { nonce: nonces.get(a) ?? 0n, balance: 10n ** 30n });
  return state;
}

/** One step of a replay: the tx, the verdict, and the channel object after it. */
export interface ReplayStep {
  readonly tx: SignedTx;
  readonly height: bigint;
  readonly error?: string;
  readonly before?: ChannelV3;
  readonly after?: ChannelV3;
}

/**
 * Replays txs in order on a fresh ledger at the corpus' rules, advancing the height to a solo-closed
 * channel's `locked_until` before its settle (the transcripts do not record heights).
 */
export async function replay(items: readonly CorpusTx[], options: { stopOnError?: boolean; genesisFrom?: readonly CorpusTx[] } = {}): Promise<{ state: LedgerState; steps: ReplayStep[] }> {
  let state = genesisFor((options.genesisFrom ?? items).map((i) => i.tx));
  let height = 1n;
  const steps: ReplayStep[] = [];
  for (const { tx, networkId } of items) {
    const rules = corpusRules(networkId);
    const id = txChannelId(tx);
    const before = id ? getChannel(state, id) : undefined;
    if (tx.tx.tag === 'channel_settle_tx' && before && before.lockedUntil > height) height = before.lockedUntil;
    try {
      const applied = await validateAndApply(state, tx, height, rules);
      state = applied.state;
      const after = id ? getChannel(state, id) : undefined;
      steps.push({ tx, height, ...(before ? { before } : {}), ...(after ? { after } : {}) });
    } catch (e) {
      if (!(e instanceof TxRejection)) throw e;
      steps.push({ tx, height, error: e.reason, ...(before ? { before } : {}) });
      if (options.stopOnError) break;
    }
    height++;
  }
  return { state, steps };
}

/** A tx to replay and the network id it is signed for. */
export interface CorpusTx {
  readonly tx: SignedTx;
  readonly networkId: string;
}

/**
 * The txs a transcript posts, in test order: for a transcript that continues the channel of its
 * group's init_per_group, first the init's txs and those of the group's earlier continuations (the
 * node's suite runs a group's tests in order on one channel, so their nonces follow each other).
 */
export function transcriptTxs(t: Transcript, all: readonly Transcript[]): CorpusTx[] {
  const own = (x: Transcript) => onChainTxs(x).map((tx) => ({ tx, networkId: networkIdOf(x) }));
  if (t.steps.some((s) => s.kind === 'connect')) return own(t);
  const group = t.group.endsWith('/conflicts') ? t.group.slice(0, -'/conflicts'.length) : t.group;
  const init = all.find((x) => x.file === `${group}/init_per_group.json`);
  const earlier = all.filter(
    (x) => x.group === t.group && x.file < t.file && !x.steps.some((s) => s.kind === 'connect'),
  );
  return [...(init ? own(init) : []), ...earlier.flatMap(own), ...own(t)];
}

/** Whether a tx needs a VM or GA (not replayable on this chain). */
export function needsVm(tx: SignedTx): boolean {
  return tx.tx.tag === 'channel_force_progress_tx' || tx.tx.tag === 'ga_meta_tx';
}

export { channelIdFromCreateTx, type SupportedTx };
