import { type SignedTx, encodeObject } from '@aesc/encoding';
import { type LedgerState, type TxApplied, applyTx, getAccount, isSupportedTx, txOrigin, validAtProtocol } from './ledger.js';
import { type ChainRules, DEFAULT_NONCE_BASELINE, DEFAULT_NONCE_OFFSET, feeGas, feeGasPrice, minFee } from './protocol.js';
import { BLOCK_GAS_LIMIT } from './recent-gas-prices.js';
import { type SignatureCheck, verifyTxSignatures } from './signatures.js';
import { reject } from './tx-rejection.js';

/**
 * The checks the node's mempool runs on a posted tx, and only those (`aec_tx_pool:check_pool_db_put/3`
 * for a tx created here: protocol, signatures, account nonce, minimum fee, the miner's minimum gas
 * price, payable recipient, TTL — in that order, the first failure wins). Whether the tx can be
 * applied (balances, channel rules, a lock period that has not run out) is left to block making,
 * as on the node: such a tx waits in the pool. Two refusals are this chain's own: tx types it
 * cannot run (`needs_vm`, `unsupported_tx_type`), and a tx whose gas alone exceeds a micro block's
 * gas limit (`gas_limit_exceeded`, the node's reason when it builds a block), which the node's pool
 * would keep without ever mining it. Returns the signature check (pass it back in to skip verifying
 * again); throws a TxRejection with the node's reason otherwise.
 */
export async function checkPoolTx(
  state: LedgerState,
  signed: SignedTx,
  height: bigint,
  rules: ChainRules,
  signatures?: SignatureCheck,
): Promise<SignatureCheck> {
  const tx = signed.tx;
  if (!isSupportedTx(tx)) reject(tx.tag === 'channel_force_progress_tx' || tx.tag.startsWith('contract_') || tx.tag.startsWith('ga_') ? 'needs_vm' : 'unsupported_tx_type');
  if (!validAtProtocol(tx, rules)) reject('invalid_at_protocol');
  const sigs = signatures ?? (await verifyTxSignatures(state, signed, rules.networkId));
  if (!sigs.valid) reject('signature_check_failed');
  const account = getAccount(state, txOrigin(tx));
  if (account === undefined) {
    if (tx.nonce > DEFAULT_NONCE_BASELINE) reject('nonce_too_high');
  } else {
    if (tx.nonce <= account.nonce) reject('nonce_too_low');
    if (tx.nonce > account.nonce + DEFAULT_NONCE_OFFSET) reject('nonce_too_high');
  }
  const size = encodeObject(tx).length;
  if (tx.fee < minFee(size)) reject('too_low_fee');
  if (feeGasPrice(tx.fee, size) < rules.minMinerGasPrice) reject('too_low_gas_price_for_miner');
  // (payable: every account of this chain is a basic account, and basic accounts are payable)
  if (tx.ttl !== 0n && tx.ttl < height) reject('ttl_expired');
  if (feeGas(size) > BLOCK_GAS_LIMIT) reject('gas_limit_exceeded');
  return sigs;
}

/**
 * Validates a tx fully against a state — the mempool checks, then the consensus rules by applying
 * it — and returns the applied result (the corpus replay's check of a tx).
 */
export async function validateAndApply(
  state: LedgerState,
  signed: SignedTx,
  height: bigint,
  rules: ChainRules,
  signatures?: SignatureCheck,
): Promise<TxApplied> {
  const sigs = await checkPoolTx(state, signed, height, rules, signatures);
  return applyTx(state, signed, { height, rules, ...(sigs.payloadValid === undefined ? {} : { payloadSignaturesValid: sigs.payloadValid }) });
}
