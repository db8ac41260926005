/**
 * `pnpm bench:state`: throughput of @aesc/state on a channel's two-account state, and the æternity
 * JS SDK's figure where it has a matching operation (it can read a PoI's Merkle trees and checks
 * their node hashes; it cannot build trees, hash a state or build a PoI).
 *
 * Run with `node --expose-gc` for the memory figure.
 */
import type { AccountAddress } from '@aesc/encoding';
import {
  type OffchainState,
  type OffchainUpdate,
  applyUpdates,
  buildPoi,
  decodePoi,
  encodePoi,
  encodeStateTrees,
  initialState,
  offchainStateHash,
  parseStateTrees,
  poiBalances,
  stateHashOf,
  verifyPoi,
} from '@aesc/state';
import { EntryTag, unpackEntry } from '@aeternity/aepp-sdk';

const I = 'ak_mLjWgLbapr5CiVD2Q248aS2TQj9itXnoPv5tteXvZaJ8tdD2C' as AccountAddress;
const R = 'ak_26jAbCjYM16ppbhFG6PCQhv6HkwRAri7QNJfoEtb1R8amLscpt' as AccountAddress;

const transfer = (from: AccountAddress, to: AccountAddress): OffchainUpdate => ({
  tag: 'channel_offchain_update_transfer',
  version: 1,
  from,
  to,
  amount: 1n,
});
const TO_R = [transfer(I, R)];
const TO_I = [transfer(R, I)];

/** Runs `f` for about `ms` milliseconds after a warm-up; returns operations per second. */
function opsPerSecond(f: (i: number) => void, ms = 1000): number {
  for (let i = 0; i < 200; i++) f(i);
  let n = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < until) {
    for (let k = 0; k < 100; k++) f(n++);
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[][] = [];
function row(what: string, ours: number | undefined, sdk: number | undefined, note = ''): void {
  rows.push([
    what,
    ours === undefined ? '—' : `${fmt(ours)}/s`,
    sdk === undefined ? '—' : `${fmt(sdk)}/s`,
    ours !== undefined && sdk !== undefined ? `${(ours / sdk).toFixed(2)}×` : 'n/a',
    note,
  ]);
}

const start = initialState({
  initiator: I,
  initiatorAmount: 70_000_000_000_000n,
  responder: R,
  responderAmount: 40_000_000_000_000n,
  pushAmount: 1n,
});

// 1. A round: apply a transfer and compute the new state hash.
let state: OffchainState = start;
let sink = 0;
const transfers = opsPerSecond((i) => {
  state = applyUpdates(state, i % 2 === 0 ? TO_R : TO_I, { channelReserve: 2n });
  sink ^= offchainStateHash(state)[0]!;
});
row('transfer applied + new state hash (2 accounts)', transfers, undefined, 'the SDK has no MPT building or state hash');

// 2. PoI of both participants: build, and build + serialize to pi_.
const poiBuilds = opsPerSecond(() => {
  sink ^= buildPoi(state.trees, { accounts: [I, R] }).accounts!.proof.length;
});
row('PoI build (accounts I, R)', poiBuilds, undefined, 'the SDK cannot build PoIs');
const poiBuildsEncoded = opsPerSecond(() => {
  sink ^= encodePoi(buildPoi(state.trees, { accounts: [I, R] })).length;
});
row('PoI build + serialize to pi_', poiBuildsEncoded, undefined, '');

// 3. PoI verification: parse pi_, check every node hash, read both balances.
const pi = encodePoi(buildPoi(state.trees, { accounts: [I, R] }));
const stateHash = stateHashOf(state.trees);
const oursVerify = opsPerSecond(() => {
  const poi = decodePoi(pi);
  verifyPoi(poi, stateHash);
  const [a, b] = poiBalances(poi, [I, R]);
  sink ^= Number((a! + b!) & 1n);
});
type SdkPoi = { accounts: { get(k: string): { balance: bigint | string | number } | undefined }[] };
const sdkVerify = opsPerSecond(() => {
  // unpackEntry builds an MPTree per tree, which checks the hash of every node it holds.
  const poi = unpackEntry(pi as `pi_${string}`, EntryTag.TreesPoi) as unknown as SdkPoi;
  const accounts = poi.accounts[0]!;
  sink ^= Number(BigInt(accounts.get(I)!.balance) + BigInt(accounts.get(R)!.balance)) & 1;
});
row('PoI verify: parse pi_, check node hashes, read 2 balances', oursVerify, sdkVerify, 'ours also checks the state hash');

// 4. State trees: parse ss_ (ours rebuilds the trees and their hashes; the SDK decodes only).
const ss = encodeStateTrees(state.trees);
const oursSs = opsPerSecond(() => {
  sink ^= stateHashOf(parseStateTrees(ss))[0]!;
});
const sdkSs = opsPerSecond(() => {
  sink ^= Object.keys(unpackEntry(ss as `ss_${string}`, EntryTag.StateTrees)).length;
});
row('ss_ parse (ours: + tree build + state hash)', oursSs, sdkSs, 'the SDK decodes without hashing');

// 5. Memory per retained round: keep every round of a long channel alive.
const gc = (globalThis as { gc?: () => void }).gc;
let memoryNote = 'run with node --expose-gc for this figure';
if (gc !== undefined) {
  const ROUNDS = 50_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: OffchainState[] = new Array(ROUNDS);
  let s = start;
  for (let i = 0; i < ROUNDS; i++) {
    s = applyUpdates(s, i % 2 === 0 ? TO_R : TO_I, { channelReserve: 2n });
    kept[i] = s;
  }
  gc();
  const perRound = (process.memoryUsage().heapUsed - before) / ROUNDS;
  memoryNote = `${fmt(perRound)} bytes per retained round (${fmt(ROUNDS)} rounds kept; only the changed nodes are new)`;
  sink ^= kept.length;
}

const header = ['operation', '@aesc/state', 'aepp-sdk 14.1.1', 'ratio', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`@aesc/state benchmark (node ${process.version}, ${process.arch})\n`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`\nmemory: ${memoryNote}`);
if (sink === 0.5) console.log(''); // keeps the results observable
