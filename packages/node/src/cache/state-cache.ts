import { blake2b256 } from '@aesc/crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { AESC_ERROR__NODE__STATE_CACHE, AescError } from '@aesc/errors';
import type { CachedChannel } from '../fsm/cached-channel.js';

/**
 * Where the node keeps each participant's latest co-signed state, encrypted at rest with a key
 * derived from the FSM id (as the node's `aesc_state_cache`): only a client presenting the fsm id
 * can reestablish the channel, and the database alone reveals nothing.
 */
export interface StateCache {
  /** Stores the record; resolves once it is durable. */
  put(record: CachedChannel): Promise<void>;
  /** The record of a channel participant, decrypted with the fsm id; undefined when absent, an error when the fsm id is wrong. */
  get(channelId: string, role: 'initiator' | 'responder', fsmId: string): Promise<CachedChannel | undefined>;
  /** Whether a record exists (without decrypting it). */
  has(channelId: string, role: 'initiator' | 'responder'): Promise<boolean>;
  close(): Promise<void>;
}

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

function keyOf(fsmId: string): Uint8Array {
  return blake2b256(utf8.encode(`aesc-state-cache:${fsmId}`));
}

/**
 * Random bytes for nonces, drawn in blocks: a node seals a record on every round, and one
 * `getRandomValues` call per nonce cost more than the encryption itself.
 */
const noncePool = { bytes: new Uint8Array(24 * 512), used: 24 * 512 };

/** A fresh random 24-byte nonce (a copy: never handed out twice). */
function randomNonce(): Uint8Array {
  if (noncePool.used + 24 > noncePool.bytes.length) {
    crypto.getRandomValues(noncePool.bytes);
    noncePool.used = 0;
  }
  const nonce = noncePool.bytes.slice(noncePool.used, noncePool.used + 24);
  noncePool.used += 24;
  return nonce;
}

/** Encrypts a record with its fsm id (xsalsa20-poly1305, random 24-byte nonce prepended). */
export function sealRecord(record: CachedChannel): Uint8Array {
  const nonce = randomNonce();
  const box = xsalsa20poly1305(keyOf(record.fsmId), nonce).encrypt(utf8.encode(JSON.stringify(record)));
  const out = new Uint8Array(24 + box.length);
  out.set(nonce);
  out.set(box, 24);
  return out;
}

/** Decrypts a record; throws `AESC_ERROR__NODE__STATE_CACHE` when the fsm id does not open it. */
export function openRecord(sealed: Uint8Array, fsmId: string): CachedChannel {
  try {
    const plain = xsalsa20poly1305(keyOf(fsmId), sealed.subarray(0, 24)).decrypt(sealed.subarray(24));
    return JSON.parse(utf8Decode.decode(plain)) as CachedChannel;
  } catch (cause) {
    throw new AescError(AESC_ERROR__NODE__STATE_CACHE, { reason: 'the fsm id does not open the cached state' }, { cause });
  }
}

/** A state cache in memory (tests, throwaway nodes); records are sealed all the same. */
export function memoryStateCache(): StateCache {
  const rows = new Map<string, Uint8Array>();
  return {
    async put(record) {
      rows.set(`${record.channelId}/${record.role}`, sealRecord(record));
    },
    async get(channelId, role, fsmId) {
      const sealed = rows.get(`${channelId}/${role}`);
      return sealed === undefined ? undefined : openRecord(sealed, fsmId);
    },
    async has(channelId, role) {
      return rows.has(`${channelId}/${role}`);
    },
    async close() {},
  };
}
