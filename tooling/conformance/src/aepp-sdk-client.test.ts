// A client written for the æternity node's channel API, used unchanged against our node: the
// Channel class of æternity's JS SDK (@aeternity/aepp-sdk), which builds its own connect URL,
// speaks its own JSON-RPC and signs with its own code (tweetnacl). Nothing here adapts it to us.
import { AeSdk, Channel, EntryTag, MemoryAccount, Node, Tag, buildTx } from '@aeternity/aepp-sdk';
import { type DevAccount, devAccounts } from '@aesc/chain';
import { loadTranscript } from '@aesc/corpus';
import { type AccountAddress, encodeApi, fromHex } from '@aesc/encoding';
import { type DevnetHandle, startDevnet } from '@aesc/devnet';
import { type NodeHandle, startNode, tcpPeerTransport } from '@aesc/node';
import { afterEach, describe, expect, it } from 'vitest';

let node: DevnetHandle | undefined;
const channels: Channel[] = [];
/** Further nodes a test started, closed before `node`. */
const others: (NodeHandle | DevnetHandle)[] = [];
/** Block emitters a test started, stopped first. */
const emitters: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const e of emitters.splice(0)) await e.stop();
  for (const c of channels.splice(0)) c.disconnect();
  for (const o of others.splice(0)) await o.close();
  await node?.close();
  node = undefined;
});

/** The node's embedded chain makes a micro block and a key block this often, as a chain would (minimum depths pass on their own). */
const BLOCK_INTERVAL_MS = 50;

const AMOUNTS = { initiatorAmount: 70_000_000_000_000, responderAmount: 40_000_000_000_000, pushAmount: 1, channelReserve: 2, lockPeriod: 10 };

/** The SDK's account for a dev account (its `sk_` is the 32-byte seed, as the SDK encodes secret keys). */
const sdkAccount = (a: DevAccount) => new MemoryAccount(encodeApi('sk', fromHex(a.secretKey)!.subarray(0, 32)));

/** A contract's byte code and init call data, as a recorded client sent them (sc_ws_basic_contracts). */
const contractCode = (
  loadTranscript('contracts/sc_ws_basic_contracts.json').steps.find((s) => s.kind === 'send' && (s.message as { method?: string }).method === 'channels.update.new_contract')!.message as {
    params: { code: `cb_${string}`; call_data: `cb_${string}` };
  }
).params;

/** What these tests read of the SDK's unpacked state (its types are unions over every tag). */
interface SdkState {
  readonly signedTx?: { readonly signatures: readonly unknown[]; readonly encodedTx: Record<string, unknown> };
  readonly trees: { readonly accounts: Record<string, { readonly balance: unknown }> };
}

/** Resolves when `channel` reports `status`; rejects, saying where it got stuck, after 15 s. */
const reaches = (channel: Channel, status: string, what: string) =>
  new Promise<void>((resolve, reject) => {
    const stuck = setTimeout(() => reject(new Error(`${what}: still ${channel.status()} after 15 s, waiting for ${status}`)), 15_000);
    const done = () => {
      clearTimeout(stuck);
      resolve();
    };
    if (channel.status() === status) done();
    channel.on('statusChanged', (s) => s === status && done());
  });

/** Two dev accounts as SDK accounts, and the sign functions the SDK's Channel takes. */
function parties(n: DevnetHandle, a: DevAccount, b: DevAccount) {
  const networkId = n.node.chainInfo.networkId;
  const accounts = { [a.address]: sdkAccount(a), [b.address]: sdkAccount(b) };
  /** What each party was asked to sign through the channel's `sign` option, by tag (the node's sign request). */
  const asked: Record<string, string[]> = { [a.address]: [], [b.address]: [] };
  /** A code a party answers its next sign request with instead of a signature (the SDK then aborts the round with it). */
  const abortNext: Record<string, number | undefined> = {};
  const signer = (who: AccountAddress) => async (tag: string, tx: `tx_${string}`) => {
    asked[who]!.push(tag);
    const code = abortNext[who];
    abortNext[who] = undefined;
    if (code !== undefined) return code as unknown as `tx_${string}`;
    return accounts[who]!.signTransaction(tx, { networkId });
  };
  /** How a party signs what it started itself (the SDK's actions take a sign function without the tag). */
  const own = (who: AccountAddress) => (tx: `tx_${string}`) => accounts[who]!.signTransaction(tx, { networkId });
  const common = { url: n.channelUrl, initiatorId: a.address, responderId: b.address, ...AMOUNTS };
  return { asked, abortNext, signer, own, common };
}

/** The SDK's `Node` on the chain API our node serves on its port, and an `AeSdk` with `a`'s account on it. */
function sdkOnChainApi(n: DevnetHandle, a: DevAccount) {
  const sdkNode = new Node(n.channelUrl.replace(/^ws:/, 'http:').replace(/\/channel$/, ''));
  return { sdkNode, aeSdk: new AeSdk({ nodes: [{ name: 'aesc', instance: sdkNode }], accounts: [sdkAccount(a)] }) };
}

/** The `on_chain_tx` reports each SDK client hears from here on, as `<type> <info>`. */
function onChainReports(initiator: Channel, responder: Channel): Record<'i' | 'r', string[]> {
  const heard: Record<'i' | 'r', string[]> = { i: [], r: [] };
  initiator.on('onChainTx', (_tx, d) => heard.i.push(`${d.type} ${d.info}`));
  responder.on('onChainTx', (_tx, d) => heard.r.push(`${d.type} ${d.info}`));
  return heard;
}

/**
 * Waits out a solo-closed channel's lock (`lockedUntil`), has `aeSdk` (the initiator `a`'s) build and
 * post the settle of the state where the initiator moved `moved` to the responder (after the
 * opening's push of 1), and checks the chain: the channel is gone and both were paid out that
 * state, the initiator less the settle's fee.
 */
async function settlesAfterLock(n: DevnetHandle, aeSdk: AeSdk, a: DevAccount, b: DevAccount, channelId: `ch_${string}`, lockedUntil: number, moved: bigint) {
  await expect.poll(async () => (await aeSdk.getHeight({ cached: false })) >= lockedUntil, { timeout: 10_000 }).toBe(true);
  const before = { a: BigInt(await aeSdk.getBalance(a.address)), b: BigInt(await aeSdk.getBalance(b.address)) };
  const i = BigInt(AMOUNTS.initiatorAmount) - BigInt(AMOUNTS.pushAmount) - moved;
  const r = BigInt(AMOUNTS.responderAmount) + BigInt(AMOUNTS.pushAmount) + moved;
  const settle = await aeSdk.buildTx({ tag: Tag.ChannelSettleTx, channelId, fromId: a.address, initiatorAmountFinal: i.toString(), responderAmountFinal: r.toString() });
  const settled = await aeSdk.sendTransaction(settle);
  expect(n.chain!.chain.channel(channelId)).toBeUndefined();
  const fee = BigInt((settled.tx as { fee: string | bigint }).fee);
  expect(BigInt(await aeSdk.getBalance(a.address)) - before.a).toBe(i - fee);
  expect(BigInt(await aeSdk.getBalance(b.address)) - before.b).toBe(r);
}

/** Starts the test's node (a micro and a key block every {@link BLOCK_INTERVAL_MS}) and picks two funded dev accounts. */
async function freshNode(options: Partial<Parameters<typeof startDevnet>[0]> = {}) {
  node = await startDevnet({ port: 0, blockIntervalMs: BLOCK_INTERVAL_MS, ...options });
  const [a, b] = (await devAccounts(2)) as [DevAccount, DevAccount];
  return { n: node, a, b };
}

/** Opens a channel between `a` and `b` with SDK clients, responder first. */
async function open(n: DevnetHandle, a: DevAccount, b: DevAccount, port: number) {
  const p = parties(n, a, b);
  const responder = await Channel.initialize({ ...p.common, port, role: 'responder', sign: p.signer(b.address) });
  channels.push(responder);
  const initiator = await Channel.initialize({ ...p.common, port, role: 'initiator', host: '127.0.0.1', sign: p.signer(a.address) });
  channels.push(initiator);
  await Promise.all([reaches(initiator, 'open', 'the initiator'), reaches(responder, 'open', 'the responder')]);
  /** A new SDK channel for `role` back into this one, with the SDK's own parameters: to its live FSM by fsm id, or, with `reestablish`, as the SDK reestablishes after a leave. */
  const rejoin = async (role: 'initiator' | 'responder', ids: { channelId: `ch_${string}`; fsmId: `ba_${string}` }, reestablish = false) => {
    const c = await Channel.initialize({
      ...p.common,
      port,
      role,
      host: '127.0.0.1',
      existingChannelId: ids.channelId,
      existingFsmId: ids.fsmId,
      ...(reestablish ? { reestablish: true } : {}),
      sign: p.signer(role === 'initiator' ? a.address : b.address),
    } as Parameters<typeof Channel.initialize>[0]);
    channels.push(c);
    return c;
  };
  return { ...p, initiator, responder, rejoin };
}

describe("æternity's JS SDK (aepp-sdk 14) as the client of our node", () => {
  it('opens a channel, transfers both ways, sends a message, reads balances and closes it mutually', async () => {
    const { n, a, b } = await freshNode();
    const { asked, own, initiator, responder } = await open(n, a, b, 14_301);
    expect(asked[a.address]).toEqual(['initiator_sign']);
    expect(asked[b.address]).toEqual(['responder_sign']);
    const channelId = initiator.id();
    expect(responder.id()).toBe(channelId);
    expect(n.chain!.chain.channel(channelId)?.channelAmount).toBe(110_000_000_000_000n);

    // Transfers both ways: each is co-signed (the other party signs its update_ack).
    const first = await initiator.update(a.address, b.address, 1_000, own(a.address));
    expect(first.accepted).toBe(true);
    const second = await responder.update(b.address, a.address, 400, own(b.address));
    expect(second.accepted).toBe(true);
    await expect.poll(() => initiator.round()).toBe(3);
    await expect.poll(() => responder.round()).toBe(3);
    expect(asked[b.address]).toContain('update_ack');
    // (The node writes balances as JSON numbers; the SDK hands them on as its JSON parser read them.)
    const balances = await initiator.balances([a.address, b.address]);
    expect(Object.fromEntries(Object.entries(balances).map(([k, v]) => [k, String(v)]))).toEqual({
      [a.address]: String(70_000_000_000_000 - 1 - 1_000 + 400),
      [b.address]: String(40_000_000_000_000 + 1 + 1_000 - 400),
    });

    // A generic message, initiator → responder.
    const message = new Promise<{ from: string; info: string }>((resolve) => responder.on('message', (m) => resolve(m as { from: string; info: string })));
    await initiator.sendMessage('hello from the SDK', b.address);
    expect(await message).toMatchObject({ from: a.address, info: 'hello from the SDK' });

    // Mutual close: both sign the close tx, the node posts it, the channel leaves the chain.
    const before = { a: n.chain!.chain.account(a.address)!.balance, b: n.chain!.chain.account(b.address)!.balance };
    const closeTx = await initiator.shutdown(own(a.address));
    expect(closeTx).toMatch(/^tx_/);
    expect(asked[b.address]).toContain('shutdown_sign_ack');
    await expect.poll(() => n.chain!.chain.channel(channelId), { timeout: 10_000 }).toBeUndefined();
    const gain = { a: n.chain!.chain.account(a.address)!.balance - before.a, b: n.chain!.chain.account(b.address)!.balance - before.b };
    const fee = 110_000_000_000_000n - gain.a - gain.b;
    expect(fee).toBeGreaterThan(0n);
    expect(gain.a + gain.b + fee).toBe(110_000_000_000_000n);
    expect(gain.b).toBe(40_000_000_000_000n + 1n + 1_000n - 400n - fee / 2n);
  }, 60_000);
});

describe("æternity's JS SDK: deposit, withdraw, leave and reestablish", () => {
  it('deposits and withdraws on chain, leaves, and picks the channel up again where it was', async () => {
    const { n, a, b } = await freshNode();
    const { own, rejoin, initiator, responder } = await open(n, a, b, 14_302);
    const channelId = initiator.id();
    await initiator.update(a.address, b.address, 5_000, own(a.address));

    const deposited = await initiator.deposit(30_000, own(a.address));
    expect(deposited.accepted).toBe(true);
    const withdrawn = await responder.withdraw(2_000, own(b.address));
    expect(withdrawn.accepted).toBe(true);
    // (The withdrawal's promise settles on the responder's side; the initiator's report may come after.)
    await expect.poll(() => initiator.round()).toBe(4);
    await expect.poll(() => n.chain!.chain.channel(channelId)).toMatchObject({ round: 4n, channelAmount: 110_000_000_000_000n + 30_000n - 2_000n });

    // The co-signed state as the SDK reads it back, and a proof of inclusion for both accounts.
    const state = (await initiator.state()) as unknown as SdkState;
    // (The SDK unpacks the latest co-signed tx, the withdrawal, and the state trees with its own codecs.)
    expect(state.signedTx?.signatures).toHaveLength(2);
    expect(state.signedTx?.encodedTx).toMatchObject({ tag: Tag.ChannelWithdrawTx, channelId, toId: b.address, amount: '2000', round: 4 });
    const sdkBalances = Object.fromEntries(Object.entries(state.trees.accounts).map(([k, v]) => [k, String(v.balance)]));
    expect(sdkBalances).toEqual({ [a.address]: String(70_000_000_000_000n - 1n - 5_000n + 30_000n), [b.address]: String(40_000_000_000_000n + 1n + 5_000n - 2_000n) });
    const poi = await initiator.poi({ accounts: [a.address, b.address] });
    expect(poi.tag).toBe(EntryTag.TreesPoi);
    expect((poi as unknown as { accounts: unknown[] }).accounts).toHaveLength(1); // one accounts tree, holding both

    // The initiator leaves (its FSM stops, the node keeps the state); the responder's FSM keeps
    // running (keep_running is on by default) and its app goes away too. Both come back through the
    // SDK's own reestablish parameters: the initiator from the node's state cache, the responder to
    // its live FSM, and each waits for the co-signed state to be reported before it counts as open.
    const fsmIds = { initiator: initiator.fsmId(), responder: responder.fsmId() };
    const left = await initiator.leave();
    expect(left.channelId).toBe(channelId);
    expect(left.signedTx).toMatch(/^tx_/);
    responder.disconnect();
    const responder2 = await rejoin('responder', { channelId, fsmId: fsmIds.responder }, true);
    const initiator2 = await rejoin('initiator', { channelId, fsmId: fsmIds.initiator }, true);
    await Promise.all([reaches(initiator2, 'open', 'the initiator, reestablished'), reaches(responder2, 'open', 'the responder, back to its FSM')]);
    expect(((await initiator2.state()) as unknown as SdkState).signedTx?.encodedTx).toMatchObject({ tag: Tag.ChannelWithdrawTx, round: 4 });
    expect((await initiator2.update(a.address, b.address, 1, own(a.address))).accepted).toBe(true);
    await expect.poll(() => initiator2.round()).toBe(5);
    await expect.poll(() => responder2.round()).toBe(5);
  }, 60_000);
});

describe("æternity's JS SDK: aborted rounds", () => {
  it('gets the code of a round its peer aborted, its own abort back, and a refused contract, and the channel goes on', async () => {
    const { n, a, b } = await freshNode();
    const { abortNext, own, initiator, responder } = await open(n, a, b, 14_303);
    // The responder answers the update_ack request with 42 (the seed scenario's code).
    abortNext[b.address] = 42;
    const refused = await initiator.update(a.address, b.address, 10, own(a.address));
    expect(refused).toMatchObject({ accepted: false, errorCode: 42 });
    // The initiator aborts its own update: the node reports the aborted update.
    const own13 = (() => Promise.resolve(13 as unknown as `tx_${string}`)) as Parameters<typeof initiator.update>[3];
    expect(await initiator.update(a.address, b.address, 10, own13)).toMatchObject({ accepted: false });
    // Neither moved the channel: the next transfer is round 2, and only it counts.
    expect((await initiator.update(a.address, b.address, 10, own(a.address))).accepted).toBe(true);
    await expect.poll(() => responder.round()).toBe(2);
    const balances = await responder.balances([a.address, b.address]);
    expect(String(balances[b.address])).toBe(String(40_000_000_000_000 + 1 + 10));

    // Creating a contract needs the FATE VM, which our node does not have: the SDK gets the node's
    // error for a request it does not handle, and the channel stays as it was.
    const contract = initiator.createContract(
      { code: contractCode.code, callData: contractCode.call_data, deposit: 10, vmVersion: 7, abiVersion: 3 },
      own(a.address),
    );
    await expect(contract).rejects.toThrow(/"code":-32601,"message":"Method not found"/);
    expect((await initiator.update(a.address, b.address, 10, own(a.address))).accepted).toBe(true);
    await expect.poll(() => responder.round()).toBe(3);
  }, 60_000);
});

describe("æternity's JS SDK: the node's errors and a reconnect", () => {
  it('turns our node’s insufficient-balance error into its own, and reconnects to its live FSM by fsm id', async () => {
    const { n, a, b } = await freshNode();
    const { own, rejoin, initiator } = await open(n, a, b, 14_306);
    // More than the initiator has: the node's 1001, which the SDK maps to its InsufficientBalanceError.
    await expect(initiator.update(a.address, b.address, 10 ** 15, own(a.address))).rejects.toMatchObject({ name: 'InsufficientBalanceError' });
    expect((await initiator.update(a.address, b.address, 5, own(a.address))).accepted).toBe(true);
    // The app goes away and comes back to the FSM that kept running (no leave, no reestablish).
    const fsmId = initiator.fsmId();
    const channelId = initiator.id();
    initiator.disconnect();
    const back = await rejoin('initiator', { channelId, fsmId });
    await reaches(back, 'open', 'the initiator, reconnected');
    expect(back.fsmId()).toBe(fsmId);
    expect((await back.update(a.address, b.address, 5, own(a.address))).accepted).toBe(true);
    await expect.poll(() => back.round()).toBe(3);
  }, 60_000);
});

describe("æternity's JS SDK against the chain API our node serves on the same port", () => {
  it('reads the status, spends (the fee from recent gas prices), and reads a channel', async () => {
    const { n, a, b } = await freshNode();
    const { sdkNode, aeSdk } = sdkOnChainApi(n, a);
    expect(await aeSdk.api.getNetworkId()).toBe(n.node.chainInfo.networkId);
    const before = await aeSdk.getBalance(b.address);
    const spent = await aeSdk.spend(1_000, b.address);
    expect(spent.blockHeight).toBeGreaterThan(0);
    expect(BigInt(await aeSdk.getBalance(b.address)) - BigInt(before)).toBe(1_000n);
    // The spend's fee paid the miners' minimum gas price, which recent blocks now show.
    const prices = await sdkNode.getRecentGasPrices();
    expect(prices.map((p) => [p.minutes, String(p.minGasPrice)])).toEqual([1, 5, 15, 60].map((m) => [m, '1000000000']));
    const { initiator } = await open(n, a, b, 14_304);
    const channelId = initiator.id();
    const onChain = await sdkNode.getChannelByPubkey(channelId);
    expect(onChain).toMatchObject({ id: channelId, initiatorId: a.address, responderId: b.address, round: 1, soloRound: 0, lockPeriod: 10, lockedUntil: 0 });
    expect([onChain.channelAmount, onChain.channelReserve].map(String)).toEqual(['110000000000000', '2']);
  }, 60_000);
});

describe("æternity's JS SDK: solo close and settle, built by the SDK", () => {
  it('closes the channel alone with the latest state and its PoI, then settles after the lock period', async () => {
    const { n, a, b } = await freshNode();
    const { sdkNode, aeSdk } = sdkOnChainApi(n, a);
    const { own, initiator, responder } = await open(n, a, b, 14_305);
    const channelId = initiator.id();
    await initiator.update(a.address, b.address, 7_000, own(a.address));
    await expect.poll(() => initiator.round()).toBe(2);
    const closing = Promise.all([reaches(initiator, 'closing', 'the initiator'), reaches(responder, 'closing', 'the responder')]);
    const poi = await initiator.poi({ accounts: [a.address, b.address] });
    // The latest co-signed state, as the SDK unpacked it, packed again by the SDK.
    const latest = (await initiator.state()).signedTx!;
    const closeSolo = await aeSdk.buildTx({ tag: Tag.ChannelCloseSoloTx, channelId, fromId: a.address, payload: buildTx(latest), poi });
    await aeSdk.sendTransaction(closeSolo);
    // Our node saw the close on chain and told both clients: the SDK's channels are closing.
    await closing;
    const closed = await sdkNode.getChannelByPubkey(channelId);
    // (solo_round counts force progress only: a close with a co-signed payload leaves it at 0.)
    expect(closed).toMatchObject({ round: 2, soloRound: 0 });
    expect(Number(closed.lockedUntil)).toBeGreaterThan(0);

    // After the lock period, a settle the SDK builds pays out the closed state.
    await settlesAfterLock(n, aeSdk, a, b, channelId, Number(closed.lockedUntil), 7_000n);
  }, 60_000);
});

describe("æternity's JS SDK: a stale solo close answered by a slash, both built by the SDK", () => {
  it('the responder hears can_slash, slashes with the latest state and its PoI, and the settle pays out that state', async () => {
    const { n, a, b } = await freshNode();
    const { aeSdk } = sdkOnChainApi(n, a);
    const { aeSdk: aeSdkB } = sdkOnChainApi(n, b);
    const { own, initiator, responder } = await open(n, a, b, 14_306);
    const channelId = initiator.id();
    const heard = onChainReports(initiator, responder);
    await initiator.update(a.address, b.address, 7_000, own(a.address));
    await expect.poll(() => initiator.round()).toBe(2);
    // Round 2, kept by the initiator for later: its state and PoI, as the SDK unpacked them.
    const stale = { tx: (await initiator.state()).signedTx!, poi: await initiator.poi({ accounts: [a.address, b.address] }) };
    await initiator.update(a.address, b.address, 2_000, own(a.address));
    await expect.poll(() => responder.round()).toBe(3);

    // The initiator closes alone with round 2, though round 3 is co-signed. (The SDK shows
    // 'closing' only until its next message, so the wait starts before the close is sent.)
    const closing = Promise.all([reaches(initiator, 'closing', 'the initiator'), reaches(responder, 'closing', 'the responder')]);
    const closeSolo = await aeSdk.buildTx({ tag: Tag.ChannelCloseSoloTx, channelId, fromId: a.address, payload: buildTx(stale.tx), poi: stale.poi });
    await aeSdk.sendTransaction(closeSolo);
    await closing;
    // Our node's chain watcher tells the responder that it holds a later state (aesc_fsm's can_slash).
    await expect.poll(() => heard.r, { timeout: 10_000 }).toContain('channel_offchain_tx can_slash');
    expect(await n.chain!.chain.channel(channelId)).toMatchObject({ round: 2n });

    // The responder slashes with round 3 and its PoI; the chain takes it and moves the lock.
    const latest = (await responder.state()).signedTx!;
    const poi = await responder.poi({ accounts: [a.address, b.address] });
    const slash = await aeSdkB.buildTx({ tag: Tag.ChannelSlashTx, channelId, fromId: b.address, payload: buildTx(latest), poi });
    await aeSdkB.sendTransaction(slash);
    const slashed = n.chain!.chain.channel(channelId)!;
    expect(slashed.round).toBe(3n);
    await expect.poll(() => heard.i, { timeout: 10_000 }).toContain('channel_slash_tx solo_closing');

    // After the lock period, the settle pays out round 3.
    await settlesAfterLock(n, aeSdk, a, b, channelId, Number(slashed.lockedUntil), 9_000n);
  }, 60_000);
});

describe("æternity's JS SDK: a snapshot built by the SDK", () => {
  it('puts the latest co-signed state on chain; our node reports it to both clients and the channel goes on', async () => {
    const { n, a, b } = await freshNode();
    const { aeSdk } = sdkOnChainApi(n, a);
    const { own, initiator, responder } = await open(n, a, b, 14_307);
    const channelId = initiator.id();
    const heard = onChainReports(initiator, responder);
    await initiator.update(a.address, b.address, 5_000, own(a.address));
    await expect.poll(() => responder.round()).toBe(2);
    const latest = (await initiator.state()).signedTx!;
    const snapshot = await aeSdk.buildTx({ tag: Tag.ChannelSnapshotSoloTx, channelId, fromId: a.address, payload: buildTx(latest) });
    await aeSdk.sendTransaction(snapshot);
    expect(n.chain!.chain.channel(channelId)).toMatchObject({ round: 2n, lockedUntil: 0n });
    // Our node's chain watcher: the channel changed on chain, for both parties.
    for (const who of ['i', 'r'] as const) await expect.poll(() => heard[who], { timeout: 10_000 }).toContain('channel_snapshot_solo_tx channel_changed');
    // The channel is still open: a transfer after the snapshot is co-signed as round 3.
    expect((await responder.update(b.address, a.address, 1_000, own(b.address))).accepted).toBe(true);
    await expect.poll(() => initiator.round()).toBe(3);
  }, 60_000);
});

describe("æternity's JS SDK: one participant on each of two of our nodes", () => {
  it('opens, transfers and closes mutually over the peer protocol (TCP, Noise NN) between the nodes', async () => {
    // The responder's node runs the chain; the initiator's node uses it through its HTTP API.
    const { n: nb, a, b } = await freshNode({ peerTransport: tcpPeerTransport() });
    const na = await startNode({ port: 0, chainUrl: nb.channelUrl.replace(/^ws:/, 'http:').replace(/\/channel$/, ''), peerTransport: tcpPeerTransport() });
    others.push(na);
    const port = 19_000 + Math.floor(Math.random() * 1000);
    const p = parties(nb, a, b);
    const responder = await Channel.initialize({ ...p.common, url: nb.channelUrl, port, role: 'responder', sign: p.signer(b.address) });
    channels.push(responder);
    const initiator = await Channel.initialize({ ...p.common, url: na.channelUrl, port, role: 'initiator', host: '127.0.0.1', sign: p.signer(a.address) });
    channels.push(initiator);
    await Promise.all([reaches(initiator, 'open', 'the initiator (node A)'), reaches(responder, 'open', 'the responder (node B)')]);
    const channelId = initiator.id();
    expect(responder.id()).toBe(channelId);
    expect((await initiator.update(a.address, b.address, 3_000, p.own(a.address))).accepted).toBe(true);
    expect((await responder.update(b.address, a.address, 1_000, p.own(b.address))).accepted).toBe(true);
    await expect.poll(() => initiator.round()).toBe(3);
    expect(p.asked[b.address]).toContain('update_ack');
    await initiator.shutdown(p.own(a.address));
    await expect.poll(() => nb.chain!.chain.channel(channelId), { timeout: 10_000 }).toBeUndefined();
  }, 60_000);
});

/**
 * Makes blocks as æternity's JS SDK's test environment does for its node in dev mode (the SDK's
 * `test/emitter`): while `GET /v3/debug/transactions/pending` lists anything, `GET /emit_mb`, and
 * after each micro block five key blocks (`GET /emit_kb`), here every 50 ms rather than every 300
 * and 1,000. `pause()` resolves once no request of the emitter is under way.
 */
function sdkEmitter(base: string) {
  const get = async (path: string) => {
    const res = await fetch(`${base}/${path}`, { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as { transactions?: unknown[] };
  };
  let createKeyBlocks = 0;
  let running = true;
  let stopped = false;
  let tick: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = () => {
    tick = (async () => {
      if (!running) return;
      if (((await get('v3/debug/transactions/pending')).transactions ?? []).length > 0) {
        await get('emit_mb');
        createKeyBlocks = 5;
      }
      if (createKeyBlocks > 0) {
        await get('emit_kb');
        createKeyBlocks -= 1;
      }
    })().catch(() => undefined);
    void tick.then(() => {
      if (!stopped) timer = setTimeout(loop, 50);
    });
  };
  loop();
  const emitter = {
    async pause() {
      running = false;
      await tick;
    },
    resume() {
      running = true;
    },
    async stop() {
      stopped = true;
      running = false;
      clearTimeout(timer);
      await tick;
    },
  };
  emitters.push(emitter);
  return emitter;
}

describe("æternity's JS SDK posts a slash and a settle before they are valid; our chain's pool keeps them until they are", () => {
  it('a settle and a slash posted before they are valid wait in the pool and are mined once valid (a chain in dev mode, blocks from the SDK’s emitter)', async () => {
    // A chain that makes blocks only when asked, as a node in dev mode, and the SDK's emitter asking.
    const { n, a, b } = await freshNode({ blockIntervalMs: 0, autoMine: false });
    const emitter = sdkEmitter(n.url);
    const { aeSdk } = sdkOnChainApi(n, a);
    const { aeSdk: aeSdkB } = sdkOnChainApi(n, b);
    const { own, initiator, responder } = await open(n, a, b, 14_308);
    const channelId = initiator.id();
    const debug = async <T>(path: string) => (await (await fetch(`${n.url}/v3/debug/${path}`)).json()) as T;
    const pending = async () => (await debug<{ transactions: { hash: string; tx: { type: string; channel_id?: string } }[] }>('transactions/pending')).transactions;
    const status = async (hash: string) => (await debug<{ status: string }>(`check-tx/pool/${hash}`)).status;

    await initiator.update(a.address, b.address, 7_000, own(a.address));
    await expect.poll(() => initiator.round()).toBe(2);
    const stale = { tx: (await initiator.state()).signedTx!, poi: await initiator.poi({ accounts: [a.address, b.address] }) };
    await initiator.update(a.address, b.address, 2_000, own(a.address));
    await expect.poll(() => responder.round()).toBe(3);

    // The initiator posts a solo close with round 2, though round 3 is co-signed. While it waits for
    // its micro block, the responder, watching the pool, sees it and posts its slash at once:
    // before the close it answers is mined, so not valid yet (channel_not_closing). Both wait.
    await emitter.pause();
    const closeSolo = await aeSdk.buildTx({ tag: Tag.ChannelCloseSoloTx, channelId, fromId: a.address, payload: buildTx(stale.tx), poi: stale.poi });
    const close = await aeSdk.sendTransaction(closeSolo, { waitMined: false });
    const seen = (await pending()).find((t) => t.tx.type === 'ChannelCloseSoloTx' && t.tx.channel_id === channelId);
    expect(seen?.hash).toBe(close.hash);
    const latest = (await responder.state()).signedTx!;
    const slashTx = await aeSdkB.buildTx({ tag: Tag.ChannelSlashTx, channelId, fromId: b.address, payload: buildTx(latest), poi: await responder.poi({ accounts: [a.address, b.address] }) });
    const slash = await aeSdkB.sendTransaction(slashTx, { waitMined: false });
    expect((await pending()).map((t) => t.hash).sort()).toEqual([close.hash, slash.hash].sort());
    expect([await status(close.hash), await status(slash.hash)]).toEqual(['includable', 'channel_not_closing']);
    expect(n.chain!.chain.channel(channelId)).toMatchObject({ round: 1n, lockedUntil: 0n });

    // The emitter sees the pool and makes a micro block: the close, then the slash it made valid.
    emitter.resume();
    const slashed = await aeSdkB.poll(slash.hash);
    expect((await aeSdkB.poll(close.hash)).blockHash).toBe(slashed.blockHash);
    const channel = n.chain!.chain.channel(channelId)!;
    expect(channel.round).toBe(3n);

    // The settle, posted right away: the lock has not run out (channel_not_closed), so it waits
    // while the emitter makes key blocks, and is mined in the first micro block at locked_until.
    await emitter.pause();
    const i = BigInt(AMOUNTS.initiatorAmount) - BigInt(AMOUNTS.pushAmount) - 9_000n;
    const r = BigInt(AMOUNTS.responderAmount) + BigInt(AMOUNTS.pushAmount) + 9_000n;
    expect(BigInt(await aeSdk.getHeight({ cached: false }))).toBeLessThan(channel.lockedUntil);
    const settleTx = await aeSdk.buildTx({ tag: Tag.ChannelSettleTx, channelId, fromId: a.address, initiatorAmountFinal: i.toString(), responderAmountFinal: r.toString() });
    const before = { a: BigInt(await aeSdk.getBalance(a.address)), b: BigInt(await aeSdk.getBalance(b.address)) };
    const settlement = await aeSdk.sendTransaction(settleTx, { waitMined: false });
    expect(await status(settlement.hash)).toBe('channel_not_closed');
    emitter.resume();
    const settled = await aeSdk.poll(settlement.hash, { blocks: 30 });
    expect(BigInt(settled.blockHeight)).toBe(channel.lockedUntil);
    expect(await status(settlement.hash)).toBe('included');
    expect(n.chain!.chain.channel(channelId)).toBeUndefined();
    const fee = BigInt((settled.tx as { fee: string | bigint }).fee);
    expect(BigInt(await aeSdk.getBalance(a.address)) - before.a).toBe(i - fee);
    expect(BigInt(await aeSdk.getBalance(b.address)) - before.b).toBe(r);
  }, 90_000);
});

