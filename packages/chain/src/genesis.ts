import { readFileSync } from 'node:fs';
import { accountAddress, blake2b256, keyPairFromSecretKey } from '@aesc/crypto';
import { type AccountAddress, isEncoded, toHex } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__INVALID_GENESIS, AescError } from '@aesc/errors';
import { parseJson } from '@aesc/chain-api';

/** A genesis account: address, balance and (optionally) the nonce it starts with. */
export interface GenesisAccount {
  readonly address: AccountAddress;
  readonly balance: bigint;
  readonly nonce: bigint;
}

function invalid(reason: string): never {
  throw new AescError(AESC_ERROR__CHAIN__INVALID_GENESIS, { reason });
}

function toBig(v: unknown, what: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return invalid(`${what} is not a non-negative integer`);
}

/**
 * Parses a genesis: the node's `accounts_test.json` form (`{"ak_…": balance}`) or, with nonces,
 * `{"ak_…": {"balance": …, "nonce": …}}`; optionally wrapped as `{"accounts": …}`.
 */
export function parseGenesis(text: string): GenesisAccount[] {
  let json: unknown;
  try {
    json = parseJson(text);
  } catch {
    invalid('not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) invalid('expected an object');
  const map = ('accounts' in json ? (json as { accounts: unknown }).accounts : json) as Record<string, unknown>;
  if (map === null || typeof map !== 'object') invalid('expected an object of accounts');
  return Object.entries(map).map(([address, v]) => {
    if (!isEncoded(address, 'ak')) invalid(`${address} is not an account address`);
    if (v !== null && typeof v === 'object') {
      const o = v as { balance?: unknown; nonce?: unknown };
      return { address: address as AccountAddress, balance: toBig(o.balance, `${address}.balance`), nonce: o.nonce === undefined ? 0n : toBig(o.nonce, `${address}.nonce`) };
    }
    return { address: address as AccountAddress, balance: toBig(v, address), nonce: 0n };
  });
}

/** Reads a genesis file. */
export function readGenesisFile(path: string): GenesisAccount[] {
  return parseGenesis(readFileSync(path, 'utf8'));
}

/** A dev account with its keys (for local development only: the keys are derived from a public seed). */
export interface DevAccount {
  readonly address: AccountAddress;
  /** 64-byte secret key (seed ‖ public key) as hex, the form `aesc` and the SDK take. */
  readonly secretKey: string;
  readonly balance: bigint;
}

/** Default balance of each dev account: 10^24 aettos (one million AE). */
export const DEV_ACCOUNT_BALANCE = 10n ** 24n;

/**
 * `count` dev accounts with deterministic keys (seed i = blake2b256("aesc-dev-account-" + i)), for
 * `aesc chain accounts` and the default genesis. Never use them on a real network.
 */
export async function devAccounts(count = 10, balance = DEV_ACCOUNT_BALANCE): Promise<DevAccount[]> {
  const out: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const seed = blake2b256(new TextEncoder().encode(`aesc-dev-account-${i}`));
    const keys = await keyPairFromSecretKey(seed);
    out.push({ address: accountAddress(keys.publicKey), secretKey: toHex(keys.secretKey), balance });
  }
  return out;
}

/**
 * The secret key (seed) of the dev chain's default leader, who mines its key blocks and signs its
 * micro blocks: well known, like the dev accounts. Never use it on a real network.
 */
export function devLeaderSeed(): Uint8Array {
  return blake2b256(new TextEncoder().encode('aesc-dev-leader'));
}

/** The genesis of the dev accounts. */
export function devGenesis(accounts: readonly DevAccount[]): GenesisAccount[] {
  return accounts.map((a) => ({ address: a.address, balance: a.balance, nonce: 0n }));
}
