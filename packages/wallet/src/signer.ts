import type { AccountAddress } from '@aesc/encoding';
import type { SignatureForm } from '@aesc/crypto';

/** Options of a signing call. */
export interface SignOptions {
  readonly networkId: string;
  /** What is signed after the network id: the tx ("raw", default) or its blake2b hash. */
  readonly form?: SignatureForm;
  readonly signal?: AbortSignal;
}

/**
 * A signer: an account and the ability to sign a serialized transaction for a network id. A role
 * interface, built as a frozen plain object by each adapter and passed in where it is needed (it
 * fits `ChannelSigner` of @aesc/channel).
 */
export interface Signer {
  readonly address: AccountAddress;
  /** The 64-byte signature over network_id ‖ tx (or ‖ blake2b(tx)). */
  signTransaction(tx: Uint8Array, options: SignOptions): Promise<Uint8Array>;
}
