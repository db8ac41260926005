import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { decodeApiAny, encodeApi } from '../../src/api-encoding.js';
import type { ApiPrefix } from '../../src/api-prefixes.js';
import type { ChainObject } from '../../src/objects/index.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from '../../src/registry.js';
import { decodeTx, encodeTx } from '../../src/tx.js';

const transcripts = loadTranscripts();
const byPrefix = encodedStringsByPrefix(transcripts);
const BROKEN = new Set(['ak_3NTNtGF', 'ct_3NTNtGF']);
// Prefixes whose payload is a chain object.
const OBJECT_PREFIXES = new Set(['tx', 'pi', 'ss', 'cs']);

/** Every API-encoded string reachable inside a decoded object's JSON form. */
function embeddedStrings(json: unknown, out: string[] = []): string[] {
  if (typeof json === 'string' && /^[a-z]{2}_[A-Za-z0-9+/=]+$/.test(json) && !/^[a-z]+(_[a-z]+)+$/.test(json)) out.push(json);
  else if (Array.isArray(json)) for (const v of json) embeddedStrings(v, out);
  else if (json !== null && typeof json === 'object') for (const v of Object.values(json)) embeddedStrings(v, out);
  return out;
}

describe('corpus: every API-encoded value round-trips', () => {
  it('has the expected number of distinct tx_ strings', () => {
    expect(byPrefix.get('tx')?.size).toBe(2764);
  });

  for (const [prefix, values] of byPrefix) {
    it(`${prefix}_ values (${values.size} distinct) decode and re-encode identically`, () => {
      let checked = 0;
      for (const value of values) {
        if (BROKEN.has(value)) continue;
        const { prefix: p, payload } = decodeApiAny(value);
        expect(encodeApi(p as ApiPrefix, payload)).toBe(value);
        if (OBJECT_PREFIXES.has(prefix)) {
          const obj = decodeObject(payload);
          expect(encodeApi(p as ApiPrefix, encodeObject(obj))).toBe(value);
          // The JSON form (what `aesc inspect` prints) parses back to the same bytes.
          const json = JSON.parse(JSON.stringify(objectToJson(obj)));
          expect(encodeApi(p as ApiPrefix, encodeObject(objectFromJson(json)))).toBe(value);
          // Every encoded value embedded in the fields round-trips as well.
          for (const inner of embeddedStrings(json)) {
            const d = decodeApiAny(inner);
            expect(encodeApi(d.prefix, d.payload)).toBe(inner);
          }
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('decodes every tx_ as a signed tx and encodes it back with encodeTx', () => {
    const tags = new Map<string, number>();
    for (const value of byPrefix.get('tx') ?? []) {
      const signed = decodeTx(value);
      const key = `${signed.tx.tag}/${signed.tx.version}`;
      tags.set(key, (tags.get(key) ?? 0) + 1);
      expect(encodeTx(signed)).toBe(value);
    }
    // The inner tags and versions corpus/STATS.md lists.
    expect(Object.fromEntries(tags)).toEqual({
      'channel_offchain_tx/2': 1908,
      'channel_create_tx/1': 353,
      'channel_close_mutual_tx/1': 116,
      'channel_settle_tx/1': 76,
      'channel_deposit_tx/1': 63,
      'channel_withdraw_tx/1': 55,
      'channel_close_solo_tx/1': 52,
      'channel_snapshot_solo_tx/1': 48,
      'channel_slash_tx/1': 34,
      'ga_meta_tx/1': 30,
      'channel_force_progress_tx/1': 26,
      'channel_create_tx/2': 3,
    });
  });

  it('rejects the two deliberately broken ids with the wrong-size code', () => {
    for (const value of BROKEN) {
      let error: unknown;
      try {
        decodeApiAny(value);
      } catch (e) {
        error = e;
      }
      expect(isAescError(error, AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE)).toBe(true);
    }
  });

  it('decodes nested objects: PoIs of solo closes, payloads, state trees of force progress', () => {
    const seen = new Set<string>();
    const visit = (obj: ChainObject) => {
      seen.add(obj.tag);
      for (const v of Object.values(obj)) {
        if (v && typeof v === 'object' && 'tag' in v && typeof v.tag === 'string') visit(v as ChainObject);
      }
    };
    for (const value of byPrefix.get('tx') ?? []) visit(decodeTx(value));
    for (const tag of ['trees_poi', 'state_trees', 'accounts_mtree', 'channel_offchain_update_call_contract', 'signed_tx']) {
      expect(seen.has(tag), tag).toBe(true);
    }
  });
});
