import type { AccountAddress, SignedTx } from '@aesc/encoding';
import type { SignatureCheck } from './signature-check.js';

/**
 * Whether `signed` carries exactly one valid signature of each of `accounts` and nothing else:
 * what the chain accepts (`aetx_sign:verify_half_signed`, which the node's FSM runs on every
 * signed tx it takes in, with the accounts it expects). As there, each account takes the first
 * signature of its own still unclaimed, and the tx is refused when an account finds none or a
 * signature is left over: a signature repeated, a stranger's, or one too many. A tx wrapped in a
 * `ga_meta_tx` is refused as well: it is how a generalized account signs, and the node refuses it
 * for a basic account (`meta_tx_for_basic_account`); accounts on this node's chains are basic.
 * `check` answers for one signature at a time here, and remembers what it verified, so a
 * co-signed tx whose first half was checked on its way in costs one verification.
 */
export async function signedExactlyBy(check: SignatureCheck, signed: SignedTx, accounts: readonly AccountAddress[]): Promise<boolean> {
  if (signed.tx.tag === 'ga_meta_tx' || signed.signatures.length !== accounts.length) return false;
  const left = [...signed.signatures];
  for (const account of accounts) {
    let found = -1;
    for (let i = 0; i < left.length && found < 0; i++) {
      if (await check({ ...signed, signatures: [left[i]!] }, account)) found = i;
    }
    if (found < 0) return false;
    left.splice(found, 1);
  }
  return true;
}
