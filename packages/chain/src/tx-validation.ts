import { type SignedTx, encodeObject } from '@aesc/encoding';
import { type LedgerState, type TxApplied, applyTx, getAccount, isSupportedTx, txOrigin, validAtProtocol } from './ledger.js';
import { type ChainRules, DEFAULT_NONCE_OFFSET, feeGasPrice, minFee } from './protocol.js';
import { type SignatureCheck, verifyTxSignatures } from './signatures.js';
import { reject } from './tx-rejection.js';

/** The verdict of the mempool checks on a tx, with its signature check (reusable when it is applied). */
export interface MempoolVerdict {
  /** 'ready' when its nonce is the next one, 'pending' when it waits for earlier nonces. */
  readonly status: 'ready' | 'pending';
  readonly signatures: SignatureCheck;
}

/**
 * The checks the node's mempool runs on a posted tx (`aec_tx_pool:check_pool_tx`): protocol,
 * signatures, account and nonce (within the nonce offset), minimum fee, the miner's minimum gas
 * price, TTL. Returns whether the tx is ready or waits for earlier nonces, with its signature check
 * (pass it back in to skip verifying again); throws a TxRejection with the node's reason otherwise.
 */
export async function checkPoolTx(
  state: LedgerState,
  signed: SignedTx,
  height: bigint,
  rules: ChainRules,
  signatures?: SignatureCheck,
): Promise<MempoolVerdict> {
  const tx = signed.tx;
  if (!isSupportedTx(tx)) reject(tx.tag === 'channel_force_progress_tx' || tx.tag.startsWith('contract_') || tx.tag.startsWith('ga_') ? 'needs_vm' : 'unsupported_tx_type');
  if (!validAtProtocol(tx, rules)) reject('invalid_at_protocol');
  const sigs = signatures ?? (await verifyTxSignatures(state, signed, rules.networkId));
  if (!sigs.valid) reject('signature_check_failed');
  const account = getAccount(state, txOrigin(tx));
  let status: MempoolVerdict['status'] = 'ready';
  if (account !== undefined) {
    if (tx.nonce <= account.nonce) reject('nonce_too_low');
    if (tx.nonce > account.nonce + DEFAULT_NONCE_OFFSET) reject('nonce_too_high');
    if (tx.nonce > account.nonce + 1n) status = 'pending';
  } else if (tx.nonce > DEFAULT_NONCE_OFFSET) reject('nonce_too_high');
  const size = encodeObject(tx).length;
  if (tx.fee < minFee(size)) reject('too_low_fee');
  if (feeGasPrice(tx.fee, size) < rules.minMinerGasPrice) reject('too_low_gas_price_for_miner');
  if (tx.ttl !== 0n && tx.ttl < height) reject('ttl_expired');
  return { status, signatures: sigs };
}

/**
 * Validates a tx fully against a state — the mempool checks, then the consensus rules by applying
 * it — and returns the applied result. This is what the dev chain does for a tx that is ready.
 */
export async function validateAndApply(
  state: LedgerState,
  signed: SignedTx,
  height: bigint,
  rules: ChainRules,
  signatures?: SignatureCheck,
): Promise<TxApplied> {
  const { signatures: sigs } = await checkPoolTx(state, signed, height, rules, signatures);
  return applyTx(state, signed, { height, rules, ...(sigs.payloadValid === undefined ? {} : { payloadSignaturesValid: sigs.payloadValid }) });
}
