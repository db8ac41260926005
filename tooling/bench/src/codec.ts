/**
 * `pnpm bench:codec`: our codecs against the æternity JS SDK (@aeternity/aepp-sdk 14) on every
 * distinct `tx_` string of the corpus, our RLP against @ethereumjs/rlp, and Ed25519 sign/verify
 * (node:crypto against @noble). Every ratio is measured in the same process and run: each pair of
 * contenders runs in interleaved time slices (a b b a a b …) so that drift in machine load hits both.
 *
 * Every measurement starts from a collected heap (a full GC before the warm-up and before the timed
 * slices), so that garbage left by loading the corpus or by the previous measurement is not charged
 * to the next one. Unpack is measured twice: on a heap with no decoded transactions alive, and with
 * the decoded inputs of the pack measurement alive (an application's steady state, where V8's
 * allocation-site pretenuring can move the decoder's objects to the old generation; see the README).
 *
 * `--base DIR` also measures this build's decodeTx and encodeTx against those of another checkout
 * (DIR, installed and built), in the same interleaved way: a change to the codecs, before and after.
 *
 * Environment: `BENCH_SECONDS`, `BENCH_WARMUP_SECONDS`, `BENCH_SLICES` (see `measure.ts`).
 * Prints a table, then one line `BENCH_JSON {…}` with every figure for scripts.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { encodedStringsByPrefix, loadTranscripts } from '@aesc/corpus';
import { type Ed25519, nativeEd25519, nobleEd25519 } from '@aesc/crypto';
import {
  type RlpItem,
  type SignedTx,
  appendUint32,
  base58Encode,
  base64Decode,
  bytesEqual,
  checksum32,
  concatBytes,
  decodeApi,
  decodeTx,
  encodeObject,
  encodeTx,
  rlpDecode,
  rlpEncode,
} from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import { type Encoded, buildTx, unpackTx } from '@aeternity/aepp-sdk';
import { decode as ethRlpDecode, encode as ethRlpEncode } from '@ethereumjs/rlp';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base58 as scureBase58, base64 as scureBase64 } from '@scure/base';
import {
  type Batch,
  type Contender,
  type PairResult,
  SECONDS,
  SLICES,
  WARMUP_SECONDS,
  gc,
  measurePair,
  over,
  sinkBit,
} from './measure.js';
import { ResultTable, fmtRatio, round } from './table.js';

const TARGET = 3;
/** The SDK version compared against (pinned in package.json). */
const SDK_VERSION = '14.1.1';
/** DER prefix that wraps a raw 32-byte Ed25519 seed as PKCS#8. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const log = (s = ''): void => console.log(s);
const table = new ResultTable();

// ---------------------------------------------------------------------------------------------
// The corpus and the set of transactions the SDK can be compared on

type SdkTx = ReturnType<typeof unpackTx>;
type SdkParams = Parameters<typeof buildTx>[0];

const typeOf = (tx: SignedTx): string => `${tx.tx.tag} v${tx.tx.version}`;

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const line = message.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)));
}

/** Every distinct `tx_` string of the corpus; the parsed transcripts become garbage on return. */
function corpusTxs(): { transcripts: number; txs: Encoded.Transaction[] } {
  const transcripts = loadTranscripts();
  const txs = [...(encodedStringsByPrefix(transcripts).get('tx') ?? [])] as Encoded.Transaction[];
  return { transcripts: transcripts.length, txs };
}

/** The codec of another checkout's build (`--base DIR`), to compare this one with. */
interface BaseCodec {
  decodeTx(s: string): SignedTx;
  encodeTx(tx: SignedTx): string;
}

async function loadBase(dir: string): Promise<BaseCodec> {
  const mod = (await import(pathToFileURL(resolve(dir, 'packages/encoding/dist/index.js')).href)) as Partial<BaseCodec>;
  if (typeof mod.decodeTx !== 'function' || typeof mod.encodeTx !== 'function') throw new Error(`${dir} has no built @aesc/encoding`);
  return mod as BaseCodec;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  const base = values.base === undefined ? undefined : await loadBase(values.base);
  const started = process.hrtime.bigint();
  log(`aesc codec benchmark — node ${process.version}, ${process.platform}/${process.arch}`);
  log(
    `BENCH_SECONDS=${SECONDS} per contender and measurement (${SLICES} interleaved slices), ` +
      `warm-up ${WARMUP_SECONDS} s, full GC before each: ${gc !== undefined ? 'yes' : 'NO (unavailable)'}`,
  );
  log();

  const corpus = corpusTxs();
  const all = corpus.txs;
  log(`corpus: ${corpus.transcripts} transcripts, ${all.length} distinct tx_ strings`);

  // Which txs each side takes. Nothing decoded is kept, so the first unpack measurement runs on a
  // heap with no decoded transactions alive.
  const oursFailures: string[] = [];
  let oursRoundTripMismatches = 0;
  const compared: { s: Encoded.Transaction; type: string }[] = [];
  const excluded = new Map<string, { count: number; reason: string }>();
  const exclude = (type: string, reason: string) => {
    const x = excluded.get(type) ?? { count: 0, reason };
    x.count++;
    excluded.set(type, x);
  };
  let oursDecoded = 0;
  let sdkPackMismatches = 0;
  for (const s of all) {
    let type: string;
    try {
      const ours = decodeTx(s);
      oursDecoded++;
      if (encodeTx(ours) !== s) oursRoundTripMismatches++;
      type = typeOf(ours);
    } catch (e) {
      oursFailures.push(isAescError(e) ? `AescError ${e.code}: ${firstLine(e)}` : firstLine(e));
      continue;
    }
    let sdk: SdkTx;
    try {
      sdk = unpackTx(s);
    } catch (e) {
      exclude(type, `unpackTx: ${firstLine(e)}`);
      continue;
    }
    let packed: string;
    try {
      packed = buildTx(sdk as SdkParams);
    } catch (e) {
      exclude(type, `buildTx: ${firstLine(e)}`);
      continue;
    }
    if (packed !== s) sdkPackMismatches++;
    compared.push({ s, type });
  }

  log(`ours: decoded ${oursDecoded}/${all.length}, encode(decode(s)) ≠ s for ${oursRoundTripMismatches}`);
  for (const f of new Set(oursFailures)) log(`  ours failed: ${f}`);
  log(`SDK comparison set: ${compared.length} txs (the SDK's buildTx output ≠ input for ${sdkPackMismatches})`);
  for (const [type, k] of Object.entries(countBy(compared, (c) => c.type))) log(`  compared  ${type.padEnd(30)} ${k}`);
  for (const [type, x] of [...excluded].sort(([p], [q]) => p.localeCompare(q))) {
    log(`  excluded  ${type.padEnd(30)} ${x.count}  (${x.reason})`);
  }
  log();

  // -------------------------------------------------------------------------------------------
  // 1. unpack / pack against the SDK, over the same transactions

  const strings = compared.map((c) => c.s);
  const n = strings.length;
  const unpackOurs = over('aesc decodeTx', strings, (s) => decodeTx(s).signatures.length);
  const unpackSdk = over('SDK unpackTx', strings, (s) => unpackTx(s).tag);

  log('measuring unpack (tx_ string → typed object, inner tx decoded), no decoded txs alive …');
  const unpack = await measurePair(unpackOurs, unpackSdk);
  table.add('unpack tx_', 'aesc decodeTx', 'SDK unpackTx', unpack, `${n} txs, no decoded txs alive`);

  // The inputs of pack: each side's own decoded objects, alive from here on.
  const oursObjects = strings.map((s) => decodeTx(s));
  const sdkObjects = strings.map((s) => unpackTx(s) as SdkParams);

  log(`measuring unpack again, with the ${n} + ${n} decoded txs of the pack inputs alive …`);
  const unpackLive = await measurePair(unpackOurs, unpackSdk);
  table.add('unpack tx_', 'aesc decodeTx', 'SDK unpackTx', unpackLive, `${n} txs, ${2 * n} decoded txs alive`);

  log('measuring pack (typed object → tx_ string) …');
  const pack = await measurePair(
    over('aesc encodeTx', oursObjects, (o) => encodeTx(o).length),
    over('SDK buildTx', sdkObjects, (o) => buildTx(o).length),
  );
  table.add('pack tx_', 'aesc encodeTx', 'SDK buildTx', pack, `${n} txs`);

  // 1b. this build against another's (--base), on every corpus tx
  let vsBase: { unpack: PairResult; pack: PairResult; mismatches: number } | undefined;
  if (base !== undefined) {
    const baseObjects = all.map((s) => base.decodeTx(s));
    const allObjects = all.map((s) => decodeTx(s));
    const mismatches = all.filter((s, i) => base.encodeTx(baseObjects[i]!) !== s).length;
    log('measuring unpack against --base …');
    const unpackBase = await measurePair(
      over('this build decodeTx', all, (s) => decodeTx(s).signatures.length),
      over('base decodeTx', all, (s) => base.decodeTx(s).signatures.length),
    );
    table.add('unpack tx_', 'this build', '--base', unpackBase, `${all.length} txs (all)`);
    log('measuring pack against --base …');
    const packBase = await measurePair(
      over('this build encodeTx', allObjects, (o) => encodeTx(o).length),
      over('base encodeTx', baseObjects, (o) => base.encodeTx(o).length),
    );
    table.add('pack tx_', 'this build', '--base', packBase, `${all.length} txs (all)`);
    vsBase = { unpack: unpackBase, pack: packBase, mismatches };
  }

  // -------------------------------------------------------------------------------------------
  // 2. RLP alone, on the raw bytes of every corpus tx

  const raw = all.map((s) => decodeApi(s, 'tx'));
  const items = raw.map((b) => rlpDecode(b));
  let rlpMismatches = 0;
  for (let i = 0; i < raw.length; i++) {
    const bytes = raw[i]!;
    const item = items[i]!;
    if (!bytesEqual(rlpEncode(item), bytes)) rlpMismatches++;
    if (!bytesEqual(ethRlpEncode(item as Uint8Array), bytes)) rlpMismatches++;
    if (!bytesEqual(ethRlpEncode(ethRlpDecode(bytes)), bytes)) rlpMismatches++;
  }
  const rawBytes = raw.reduce((sum, b) => sum + b.length, 0);
  const ethItems = items as unknown as Uint8Array[];

  log('measuring RLP decode …');
  const rlpDec = await measurePair(
    over('aesc rlpDecode', raw, (b) => (rlpDecode(b) as readonly RlpItem[]).length),
    over('@ethereumjs/rlp decode', raw, (b) => ethRlpDecode(b).length),
  );
  table.add('RLP decode', 'aesc rlpDecode', '@ethereumjs/rlp', rlpDec, `${raw.length} txs (all)`);

  log('measuring RLP encode …');
  const rlpEnc = await measurePair(
    over('aesc rlpEncode', items, (it) => rlpEncode(it).length),
    over('@ethereumjs/rlp encode', ethItems, (it) => ethRlpEncode(it).length),
  );
  table.add('RLP encode', 'aesc rlpEncode', '@ethereumjs/rlp', rlpEnc, `${items.length} txs (all)`);

  // -------------------------------------------------------------------------------------------
  // 2b. The hand-written primitives of the API encoding against the libraries they replace

  const idPayloads = raw.map((b) => b.subarray(0, 32)).filter((b) => b.length === 32);
  const idsWithCheck = idPayloads.map((b) => appendUint32(b, checksum32(b)));
  const txBodies = all.map((t) => t.slice(3));
  log('measuring sha256d checksums …');
  const sha = await measurePair(
    over('aesc checksum32', raw, (b) => checksum32(b)),
    over('@noble/hashes sha256∘sha256', raw, (b) => nobleSha256(nobleSha256(b))[0]!),
  );
  table.add('checksum', 'aesc sha256d', '@noble/hashes', sha, `${raw.length} tx payloads`);
  log('measuring base58 encode …');
  const b58 = await measurePair(
    over('aesc base58Encode', idsWithCheck, (b) => base58Encode(b).length),
    over('@scure/base base58', idsWithCheck, (b) => scureBase58.encode(b).length),
  );
  table.add('base58 encode', 'aesc base58Encode', '@scure/base', b58, `${idsWithCheck.length} × 36 bytes`);
  log('measuring base64 decode …');
  const b64 = await measurePair(
    over('aesc base64Decode', txBodies, (t) => base64Decode(t)!.length),
    over('@scure/base base64', txBodies, (t) => scureBase64.decode(t).length),
  );
  table.add('base64 decode', 'aesc base64Decode', '@scure/base', b64, `${txBodies.length} tx_ bodies`);

  // -------------------------------------------------------------------------------------------
  // 3. Ed25519 through @aesc/crypto: the native (node:crypto) and the @noble paths

  const native = nativeEd25519();
  const noble = nobleEd25519();
  const seed = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  // What a participant signs: network id ‖ serialized inner tx (a corpus channel tx).
  const sample = oursObjects[0] ?? decodeTx(all[0]!);
  const message = concatBytes(new TextEncoder().encode('local_iris_testnet'), encodeObject(sample.tx));
  const publicKey = await native.getPublicKey(seed);
  const sigNative = await native.sign(message, seed);
  const sigNoble = await noble.sign(message, seed);
  // node:crypto with the key object made once, not per call as `sign(message, seed)` must.
  const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const sigKeyObject = new Uint8Array(nodeSign(null, message, keyObject));
  const ed25519Agree =
    bytesEqual(publicKey, await noble.getPublicKey(seed)) &&
    bytesEqual(sigNative, sigNoble) &&
    bytesEqual(sigNative, sigKeyObject) &&
    bytesEqual(sigNative, await native.signerFor(seed)(message)) &&
    (await native.verify(sigNoble, message, publicKey)) &&
    (await noble.verify(sigNative, message, publicKey));

  const SIG_BATCH = 32;
  const signWith =
    (impl: Ed25519): Batch =>
    async () => {
      let x = 0;
      for (let i = 0; i < SIG_BATCH; i++) x ^= (await impl.sign(message, seed))[0]!;
      return x;
    };
  const verifyWith =
    (impl: Ed25519): Batch =>
    async () => {
      let x = 0;
      for (let i = 0; i < SIG_BATCH; i++) x ^= (await impl.verify(sigNative, message, publicKey)) ? 1 : 0;
      return x;
    };
  const nobleSign: Contender = { name: 'noble sign', opsPerBatch: SIG_BATCH, batch: signWith(noble) };

  log('measuring Ed25519 sign …');
  const sign = await measurePair({ name: 'native sign', opsPerBatch: SIG_BATCH, batch: signWith(native) }, nobleSign);
  table.add('Ed25519 sign', '@aesc/crypto native', '@aesc/crypto noble', sign, `${message.length}-byte message`);

  log('measuring Ed25519 sign with a key prepared once (signerFor) …');
  const preparedNative = native.signerFor(seed);
  const preparedNoble = noble.signerFor(seed);
  const signPrepared = await measurePair(
    {
      name: 'native signerFor',
      opsPerBatch: SIG_BATCH,
      batch: async () => {
        let x = 0;
        for (let i = 0; i < SIG_BATCH; i++) x ^= (await preparedNative(message))[0]!;
        return x;
      },
    },
    {
      name: 'noble signerFor',
      opsPerBatch: SIG_BATCH,
      batch: async () => {
        let x = 0;
        for (let i = 0; i < SIG_BATCH; i++) x ^= (await preparedNoble(message))[0]!;
        return x;
      },
    },
  );
  table.add('Ed25519 sign', 'native signerFor', 'noble signerFor', signPrepared, 'key prepared once (a wallet signer)');

  log('measuring Ed25519 verify …');
  const verify = await measurePair(
    { name: 'native verify', opsPerBatch: SIG_BATCH, batch: verifyWith(native) },
    { name: 'noble verify', opsPerBatch: SIG_BATCH, batch: verifyWith(noble) },
  );
  table.add('Ed25519 verify', '@aesc/crypto native', '@aesc/crypto noble', verify, `${message.length}-byte message`);

  // -------------------------------------------------------------------------------------------
  // Report

  log();
  table.print();
  log();
  const verdict = (r: PairResult) => `${fmtRatio(r.ratio)} ${r.ratio >= TARGET ? 'MET' : 'NOT MET'}`;
  log(
    `target ≥${TARGET}× the SDK: unpack ${verdict(unpack)} (with decoded txs alive: ${verdict(unpackLive)}), ` +
      `pack ${verdict(pack)}`,
  );
  log(
    `checks: SDK pack ≠ input ${sdkPackMismatches}, ours round trip ≠ input ${oursRoundTripMismatches}, ` +
      `RLP re-encode mismatches ${rlpMismatches}, Ed25519 paths agree: ${ed25519Agree ? 'yes' : 'NO'}`,
  );
  if (vsBase !== undefined) log(`--base: its encodeTx(decodeTx(s)) ≠ s for ${vsBase.mismatches} of ${all.length}`);
  log(`notes: ops are transactions (signatures for Ed25519); RLP input ${rawBytes} bytes, avg ${(rawBytes / raw.length).toFixed(1)} B/tx;`);
  log("       the SDK's buildTx recomputes the minimum fee (rebuilding and unpacking the tx) to validate `fee`: that is its pack path;");
  log("       '@aesc/crypto native' sign/verify build a node:crypto key object from the raw key on every call.");
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`total ${seconds.toFixed(1)} s`);

  const pair = (r: PairResult, a: string, b: string) => ({
    [a]: round(r.a),
    [b]: round(r.b),
    ratio: round(r.ratio, 3),
    sliceRatioMin: round(r.sliceRatioMin, 3),
    sliceRatioMedian: round(r.sliceRatioMedian, 3),
    sliceRatioMax: round(r.sliceRatioMax, 3),
  });
  const vsSdk = (r: PairResult) => ({ ...pair(r, 'oursOpsPerSec', 'sdkOpsPerSec'), target: TARGET, met: r.ratio >= TARGET });
  const json = {
    node: process.version,
    benchSeconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    slices: SLICES,
    gcControl: gc !== undefined,
    corpus: { transcripts: corpus.transcripts, txs: all.length, rlpBytes: rawBytes },
    sdk: {
      version: SDK_VERSION,
      compared: n,
      comparedByType: countBy(compared, (c) => c.type),
      excludedByType: Object.fromEntries([...excluded].map(([t, x]) => [t, x.count])),
      packMismatches: sdkPackMismatches,
    },
    ours: { decoded: oursDecoded, failures: oursFailures.length, roundTripMismatches: oursRoundTripMismatches },
    unpack: vsSdk(unpack),
    unpackDecodedAlive: vsSdk(unpackLive),
    pack: vsSdk(pack),
    ...(vsBase === undefined
      ? {}
      : {
          vsBase: {
            unpack: pair(vsBase.unpack, 'oursOpsPerSec', 'baseOpsPerSec'),
            pack: pair(vsBase.pack, 'oursOpsPerSec', 'baseOpsPerSec'),
            baseRoundTripMismatches: vsBase.mismatches,
          },
        }),
    rlpDecode: pair(rlpDec, 'oursOpsPerSec', 'ethereumjsOpsPerSec'),
    rlpEncode: pair(rlpEnc, 'oursOpsPerSec', 'ethereumjsOpsPerSec'),
    rlpMismatches,
    ed25519Sign: pair(sign, 'nativeOpsPerSec', 'nobleOpsPerSec'),
    ed25519SignPrepared: pair(signPrepared, 'nativeOpsPerSec', 'nobleOpsPerSec'),
    ed25519Verify: pair(verify, 'nativeOpsPerSec', 'nobleOpsPerSec'),
    ed25519Agree,
    totalSeconds: round(seconds, 1),
    sink: sinkBit(),
  };
  console.log(`BENCH_JSON ${JSON.stringify(json)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
