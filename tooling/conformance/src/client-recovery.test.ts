import { devAccounts } from '@aesc/chain';
import { type ChannelClient, type ChannelStore, type ClientConfig, type SigningPolicy, connectChannel, memoryStore, resumeFrom } from '@aesc/channel';
import { signTransaction } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, fromHex } from '@aesc/encoding';
import { type DevnetHandle, startDevnet } from '@aesc/devnet';
import { type TransportConnector, webSocketConnector } from '@aesc/rpc';
import { balanceOf } from '@aesc/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 24, the client's side, end to end: @aesc/channel clients on our node, one of them "killed"
// in the middle of a round — its connection cut at that moment, everything it had in memory
// dropped — and brought back from its store as the channel README says (store.load → resumeFrom →
// connectChannel). The node keeps running, so the client comes back to its live FSM.

let devnet: DevnetHandle;
let accounts: Awaited<ReturnType<typeof devAccounts>>;
beforeAll(async () => {
  devnet = await startDevnet({ port: 0 });
  accounts = await devAccounts(2);
});
afterAll(async () => {
  await devnet?.close();
});

const amounts = { initiatorAmount: 50_000n, responderAmount: 30_000n, pushAmount: 0n, channelReserve: 2n, lockPeriod: 10n };
type Role = 'initiator' | 'responder';

/** The node's connect URL with these params (bigints as decimal strings). */
const connectUrl = (params: Record<string, string | number | bigint>) =>
  `${devnet.channelUrl}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;

/** What kills a client: at a frame it is about to send, the frame goes out first (`after`) or not at all (`instead`), then the connection is cut. */
type Kill = (frame: { readonly method?: string }) => 'after' | 'instead' | undefined;

/** A connection that can be cut as if the client's process died: nothing goes out or comes in after that. */
function killable(url: string, kill: { rule?: Kill; now?: () => void }): TransportConnector {
  return async (handlers, signal) => {
    let dead = false;
    const transport = await webSocketConnector(url)({ onMessage: (m) => dead || handlers.onMessage(m), onClose: handlers.onClose }, signal);
    const die = () => {
      dead = true;
      transport.close(1000, 'killed');
    };
    kill.now = die;
    return {
      send: (text: string) => {
        if (dead) return;
        const verdict = kill.rule?.(JSON.parse(text) as { method?: string });
        if (verdict !== 'instead') transport.send(text);
        if (verdict !== undefined) die();
      },
      close: (code?: number, reason?: string) => transport.close(code, reason),
    };
  };
}

interface Party {
  readonly role: Role;
  readonly address: AccountAddress;
  readonly store: ChannelStore;
  client: ChannelClient;
  readonly kill: { rule?: Kill; now?: () => void };
}

async function join(role: Role, port: number, policy?: SigningPolicy): Promise<Party> {
  const [a, b] = accounts;
  const me = role === 'initiator' ? a! : b!;
  const store = memoryStore();
  const kill: Party['kill'] = {};
  const url = connectUrl({
    protocol: 'json-rpc', role, host: '127.0.0.1', port,
    initiator_id: a!.address, responder_id: b!.address,
    initiator_amount: amounts.initiatorAmount, responder_amount: amounts.responderAmount,
    push_amount: 0n, channel_reserve: 2n, lock_period: 10n,
    minimum_depth: 0, minimum_depth_strategy: 'plain',
  });
  const client = await connectChannel({ connect: killable(url, kill), config: configOf(role), signer: signerOf(me), store, ...(policy === undefined ? {} : { policy }) });
  return { role, address: me.address, store, client, kill };
}

const configOf = (role: Role): ClientConfig => ({
  role, initiator: accounts[0]!.address, responder: accounts[1]!.address, networkId: devnet.node.chainInfo.networkId, ...amounts, maxFee: 10n ** 15n,
});
const signerOf = (account: { address: AccountAddress; secretKey: string }) => ({
  address: account.address,
  signTransaction: (tx: Uint8Array, o: { networkId: string }) => signTransaction(tx, o.networkId, fromHex(account.secretKey)!),
});

/** The client of `p` comes back from its store, as the README says; returns what it connected with. */
async function comeBack(p: Party, port: number, policy?: SigningPolicy): Promise<{ readonly offchainTx: string; readonly pendingRound: bigint | undefined }> {
  const record = await p.store.load((await p.store.list())[0] as ChannelId);
  const { resume, connectParams } = resumeFrom(record!);
  const url = connectUrl({ protocol: 'json-rpc', role: p.role, host: '127.0.0.1', port, ...connectParams });
  const account = accounts[p.role === 'initiator' ? 0 : 1]!;
  p.client = await connectChannel({ connect: webSocketConnector(url), config: { ...configOf(p.role), resume }, signer: signerOf(account), store: p.store, ...(policy === undefined ? {} : { policy }) });
  return { offchainTx: connectParams.offchain_tx, pendingRound: resume.pending?.round };
}

async function open(port: number, policies: { initiator?: SigningPolicy; responder?: SigningPolicy } = {}): Promise<[Party, Party]> {
  const r = await join('responder', port, policies.responder);
  const i = await join('initiator', port, policies.initiator);
  await Promise.all([i.client.waitFor('open'), r.client.waitFor('open')]);
  return [i, r];
}

/** Both clients at `round` with the same balances summing to the channel's `total`, the stores too, and a transfer each way goes through. */
async function converged(i: Party, r: Party, round: bigint, total = amounts.initiatorAmount + amounts.responderAmount): Promise<void> {
  for (const p of [i, r]) {
    await expect.poll(() => p.client.state().last?.state.round, { timeout: 10_000 }).toBe(round);
    expect((await p.store.load(p.client.state().channelId!))?.lastCoSigned.state.round).toBe(round);
  }
  const balances = (p: Party) => [i, r].map((x) => balanceOf(p.client.state().last!.state.trees, x.address));
  expect(balances(i)).toEqual(balances(r));
  expect(balances(i).reduce((x, y) => x! + y!, 0n)).toBe(total);
  expect(await i.client.transfer(r.address, 1n)).toBe(round + 1n);
  expect(await r.client.transfer(i.address, 1n)).toBe(round + 2n);
}

const close = (...parties: Party[]) => {
  for (const p of parties) p.client.close();
};

describe('a client killed in the middle of a round comes back from its store to the round the node holds', () => {
  it('the proposer, after it signed its own transfer: it comes back with its pending round and takes it co-signed', async () => {
    const [i, r] = await open(19101);
    try {
      i.kill.rule = (f) => (f.method === 'channels.update' ? 'after' : undefined);
      i.client.transfer(r.address, 10n).catch(() => undefined);
      await expect.poll(() => r.client.state().last?.state.round, { timeout: 10_000 }).toBe(2n);
      expect(i.client.state().last?.state.round).toBe(1n);
      const back = await comeBack(i, 19101);
      expect(back.pendingRound).toBe(2n);
      await converged(i, r, 2n);
    } finally {
      close(i, r);
    }
  }, 60_000);

  it('the proposer, before it signed its own transfer: the node asks again, and it signs its pending round', async () => {
    let hold = true;
    const policy: SigningPolicy = async (req) => (hold && req.tag === 'update' ? new Promise(() => undefined) : true);
    const [i, r] = await open(19102, { initiator: policy });
    try {
      i.client.transfer(r.address, 10n).catch(() => undefined);
      // killed while its app (or signer) decides: the pending proposal is in its store already
      await expect.poll(async () => (await i.store.load(i.client.state().channelId!))?.pending?.round, { timeout: 10_000 }).toBe(2n);
      i.kill.now!();
      hold = false;
      const back = await comeBack(i, 19102);
      expect(back.pendingRound).toBe(2n);
      await converged(i, r, 2n);
    } finally {
      close(i, r);
    }
  }, 60_000);

  it('the acknowledging client, after it co-signed but before its answer got through: it comes back with that round, which the node takes', async () => {
    const [i, r] = await open(19103);
    try {
      r.kill.rule = (f) => (f.method === 'channels.update_ack' ? 'instead' : undefined);
      const transfer = i.client.transfer(r.address, 10n);
      transfer.catch(() => undefined);
      await expect.poll(async () => (await r.store.load(i.client.state().channelId!))?.lastCoSigned.state.round, { timeout: 10_000 }).toBe(2n);
      const back = await comeBack(r, 19103);
      expect(back.offchainTx).toMatch(/^tx_/);
      expect(await transfer).toBe(2n);
      await converged(i, r, 2n);
    } finally {
      close(i, r);
    }
  }, 60_000);

  it('the acknowledging client of a deposit, after it co-signed: the deposit round was kept before the ack, and the node takes it', async () => {
    const [i, r] = await open(19104);
    try {
      r.kill.rule = (f) => (f.method === 'channels.deposit_ack' ? 'instead' : undefined);
      const deposit = i.client.deposit(1_000n);
      deposit.catch(() => undefined);
      await expect.poll(async () => (await r.store.load(i.client.state().channelId!))?.lastCoSigned.state.round, { timeout: 10_000 }).toBe(2n);
      await comeBack(r, 19104);
      expect(await deposit).toBe(2n);
      await converged(i, r, 2n, amounts.initiatorAmount + amounts.responderAmount + 1_000n);
      expect(balanceOf(i.client.state().last!.state.trees, i.address)).toBe(amounts.initiatorAmount + 1_000n);
    } finally {
      close(i, r);
    }
  }, 60_000);
});
