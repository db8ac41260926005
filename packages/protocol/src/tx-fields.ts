import type { Transaction } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE, AescError } from '@aesc/errors';

/** A transaction of type `T`. */
export type TxOf<T extends Transaction['tag']> = Extract<Transaction, { readonly tag: T }>;

/** Throws the coded error of a field whose value is not the one expected (7001, `TX_FIELD_MISMATCH`). */
export function txFieldMismatch(tx: string, field: string, expected: unknown, actual: unknown): never {
  throw new AescError(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, { tx, field, expected: String(expected), actual: String(actual) });
}

/** Throws 7001 (`TX_FIELD_MISMATCH`) unless `tx[field]` is `expected`. */
export function expectTxField(tx: Transaction, field: string, expected: unknown): void {
  const actual = (tx as unknown as Record<string, unknown>)[field];
  if (actual !== expected) txFieldMismatch(tx.tag, field, expected, actual);
}

/** Throws 7000 (`UNEXPECTED_TX_TYPE`) unless the tx is of type `tag`. */
export function expectTxType<T extends Transaction['tag']>(tx: Transaction, tag: T): asserts tx is TxOf<T> {
  if (tx.tag !== tag) throw new AescError(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE, { expected: tag, actual: tx.tag });
}
