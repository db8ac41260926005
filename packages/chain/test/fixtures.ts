import { signTransaction } from '@aesc/crypto';
import { type AccountAddress, type EncodedTx, type Transaction, encodeObject, encodeTx, fromHex } from '@aesc/encoding';
import { encodedOffchainStateHash, initialState } from '@aesc/state';
import { type DevAccount, devAccounts } from '../src/genesis.js';
import { minFee } from '../src/protocol.js';

/** Dev accounts for tests (deterministic keys). */
export const accountsP: Promise<DevAccount[]> = devAccounts(4);

/** Signs a tx with the given accounts for a network id (raw form, or hash form for the second signer). */
export async function sign(tx: Transaction, signers: readonly DevAccount[], networkId = 'ae_dev'): Promise<EncodedTx> {
  const bytes = encodeObject(tx);
  const signatures: Uint8Array[] = [];
  for (const [i, s] of signers.entries()) {
    signatures.push(await signTransaction(bytes, networkId, fromHex(s.secretKey)!, { form: i === 1 ? 'hash' : 'raw' }));
  }
  return encodeTx({ tag: 'signed_tx', version: 1, signatures: signatures.sort(Buffer.compare), tx });
}

/** A fee that pays the miner gas price 1e9 for a tx (iterating since the fee changes the size). */
export function feeFor(make: (fee: bigint) => Transaction): bigint {
  let fee = 0n;
  for (let i = 0; i < 5; i++) fee = minFee(encodeObject(make(fee)).length) * 1000n;
  return fee;
}

/** A signed spend from `from` to `to`. */
export async function spendTx(from: DevAccount, to: AccountAddress, amount: bigint, nonce: bigint, networkId = 'ae_dev'): Promise<EncodedTx> {
  const make = (fee: bigint): Transaction => ({ tag: 'spend_tx', version: 1, senderId: from.address, recipientId: to, amount, fee, ttl: 0n, nonce, payload: new Uint8Array(0) });
  return sign(make(feeFor(make)), [from], networkId);
}

/** A co-signed channel_create_tx v2 between two accounts. */
export async function createTx(i: DevAccount, r: DevAccount, nonce: bigint, lockPeriod = 3n, networkId = 'ae_dev'): Promise<EncodedTx> {
  const stateHash = encodedOffchainStateHash(initialState({ initiator: i.address, initiatorAmount: 10n ** 18n, responder: r.address, responderAmount: 10n ** 18n }));
  const make = (fee: bigint): Transaction => ({
    tag: 'channel_create_tx',
    version: 2,
    initiatorId: i.address,
    initiatorAmount: 10n ** 18n,
    responderId: r.address,
    responderAmount: 10n ** 18n,
    channelReserve: 0n,
    lockPeriod,
    ttl: 0n,
    fee,
    initiatorDelegateIds: [],
    responderDelegateIds: [],
    stateHash,
    nonce,
  });
  return sign(make(feeFor(make)), [i, r], networkId);
}
