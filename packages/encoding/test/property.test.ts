import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { isAescError } from '@aesc/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApi, encodeApi } from '../src/api-encoding.js';
import { API_ENCODINGS } from '../src/api-prefixes.js';
import type { Field, FieldMap } from '../src/field.js';
import { ID_PREFIXES } from '../src/id.js';
import { uintToBytes } from '../src/integer.js';
import type { ObjectDef } from '../src/object-def.js';
import { ALL_OBJECT_DEFS, type ChainObject } from '../src/objects/index.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from '../src/registry.js';
import { type RlpItem, rlpEncode } from '../src/rlp.js';

const DEFS = ALL_OBJECT_DEFS as readonly ObjectDef[];
const MAX_DEPTH = 3;

function hasNested(fields: FieldMap): boolean {
  return Object.values(fields).some((f) => nestedShape(f));
}
function nestedShape(f: Field<unknown>): boolean {
  const s = f.shape;
  if (s.type === 'object' || s.type === 'mtree') return true;
  if (s.type === 'list' || s.type === 'zero-or-one') return nestedShape(s.item);
  if (s.type === 'record') return hasNested(s.fields);
  return false;
}

/** A generator for any value of a field, built from the field's shape. */
function arbField(f: Field<unknown>, depth: number): fc.Arbitrary<unknown> {
  const s = f.shape;
  switch (s.type) {
    case 'int':
      return fc.bigInt({ min: 0n, max: 2n ** 130n });
    case 'bool':
      return fc.boolean();
    case 'bytes':
      return fc.uint8Array({ maxLength: 40 });
    case 'encoded': {
      const size = API_ENCODINGS[s.prefix].size as number | undefined;
      const bytes = size === undefined ? fc.uint8Array({ maxLength: 40 }) : fc.uint8Array({ minLength: size, maxLength: size });
      return bytes.map((b) => encodeApi(s.prefix, b));
    }
    case 'raw-encoded': {
      const size = API_ENCODINGS[s.prefix].size as number | undefined;
      return size === undefined ? fc.uint8Array({ maxLength: 40 }) : fc.uint8Array({ minLength: size, maxLength: size });
    }
    case 'id':
      return fc
        .tuple(fc.constantFrom(...s.kinds), fc.uint8Array({ minLength: 32, maxLength: 32 }))
        .map(([kind, b]) => encodeApi(ID_PREFIXES[kind], b));
    case 'list':
      return fc.array(arbField(s.item, depth + 1), { maxLength: depth >= MAX_DEPTH ? 0 : 3 });
    case 'zero-or-one':
      return fc.option(arbField(s.item, depth + 1), { nil: null });
    case 'record':
      return fc.record(Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, arbField(v, depth + 1)])));
    case 'object': {
      let candidates = DEFS.filter((d) => s.names.length === 0 || s.names.includes(d.name));
      if (depth >= MAX_DEPTH) {
        const leaves = candidates.filter((d) => !hasNested(d.fields));
        if (leaves.length > 0) candidates = leaves;
      }
      const obj = fc.oneof(...candidates.map((d) => arbObject(d, depth + 1)));
      return s.optional ? fc.option(obj, { nil: null }) : obj;
    }
    case 'mtree':
      return fc
        .array(
          fc
            .uint8Array({ minLength: 32, maxLength: 34 })
            .chain((key) =>
              arbField(s.valueFor(key), depth + 1).map((val) => ({ tag: 'mtree_value', version: 1, key, val })),
            ),
          { maxLength: depth >= MAX_DEPTH ? 0 : 2 },
        )
        .map((values) => ({ tag: 'mtree', version: 1, values }));
  }
}

function arbObject(def: ObjectDef, depth = 0): fc.Arbitrary<ChainObject> {
  const fields = Object.fromEntries(def.keys.map((k) => [k, arbField(def.fields[k]!, depth)]));
  return fc
    .record(fields)
    .map((values) => ({ tag: def.name, version: def.version, ...values }) as unknown as ChainObject);
}

const expectCodedError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!isAescError(e)) throw e;
  }
};

describe('property: decode(encode(x)) = x for generated objects of every type', () => {
  for (const def of DEFS) {
    it(`${def.name} v${def.version}`, () => {
      fc.assert(
        fc.property(arbObject(def), (obj) => {
          const bytes = encodeObject(obj);
          expect(decodeObject(bytes)).toEqual(obj);
          const json = JSON.parse(JSON.stringify(objectToJson(obj)));
          expect(encodeObject(objectFromJson(json))).toEqual(bytes);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('property: decoders answer any input with a value or an AescError', () => {
  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectCodedError(() => decodeObject(bytes))),
      { numRuns: 3000 },
    );
  });

  it('random RLP under every known tag and version', () => {
    const rlpItem: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
      item: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.uint8Array({ maxLength: 40 }),
        fc.array(tie('item'), { maxLength: 4 }),
      ),
    })).item;
    fc.assert(
      fc.property(fc.constantFrom(...DEFS), fc.array(rlpItem, { maxLength: 16 }), (def, rest) => {
        const bytes = rlpEncode([uintToBytes(BigInt(def.tag)), uintToBytes(BigInt(def.version)), ...rest]);
        expectCodedError(() => {
          const obj = decodeObject(bytes);
          expect(encodeObject(obj)).toEqual(bytes);
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('corpus transactions with one byte changed', () => {
    const txs = [...(encodedStringsByPrefix(loadTranscripts()).get('tx') ?? [])].map((t) => decodeApi(t, 'tx'));
    fc.assert(
      fc.property(fc.constantFrom(...txs), fc.nat(), fc.integer({ min: 1, max: 255 }), (tx, pos, delta) => {
        const copy = tx.slice();
        const i = pos % copy.length;
        copy[i] = (copy[i]! + delta) & 0xff;
        expectCodedError(() => {
          const obj = decodeObject(copy);
          expect(encodeObject(obj)).toEqual(copy);
        });
      }),
      { numRuns: 3000 },
    );
  });
});
