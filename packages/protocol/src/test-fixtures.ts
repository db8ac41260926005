import { type AccountAddress, type ChannelId, type SignedTx, type Transaction, encodeApi } from '@aesc/encoding';
import { type OffchainState, initialState } from '@aesc/state';

// Accounts, a channel and its opening state for the tests of this package (no signatures needed).

/** A fake account whose 32 bytes are all `n`. */
export const account = (n: number) => encodeApi('ak', new Uint8Array(32).fill(n)) as AccountAddress;
export const initiator = account(1);
export const responder = account(2);
export const stranger = account(3);
export const channelId = encodeApi('ch', new Uint8Array(32).fill(7)) as ChannelId;
export const otherChannel = encodeApi('ch', new Uint8Array(32).fill(8)) as ChannelId;

/** The channel's terms: 700 and 400 in, nothing pushed, a reserve of 2, a lock period of 10. */
export const terms = {
  initiator,
  responder,
  initiatorAmount: 700n,
  responderAmount: 400n,
  pushAmount: 0n,
  channelReserve: 2n,
  lockPeriod: 10n,
} as const;

/** The opening state (round 1). */
export const opening: OffchainState = initialState(terms);

/** `tx` in a signed tx without signatures. */
export const unsigned = (tx: Transaction): SignedTx => ({ tag: 'signed_tx', version: 1, signatures: [], tx });
