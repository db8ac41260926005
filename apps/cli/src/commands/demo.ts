import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type DevAccount, devAccounts } from '@aesc/chain';
import { type ChannelClient, type ChannelEvent, connectChannel, memoryStore } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { fromHex } from '@aesc/encoding';
import { type DevnetHandle, startDevnet } from '@aesc/devnet';
import { webSocketConnector } from '@aesc/rpc';
import { EXIT_OK } from '../errors.js';
import { portOption, usageOf } from '../options.js';
import type { Io } from '../io.js';

export const DEMO_HELP = `Usage: aesc demo [--port P] [--keep]

  Starts the channel node on the embedded dev chain and runs a two-party channel between two dev
  accounts, Alice (initiator) and Bob (responder): open, transfers both ways, a generic message, a
  deposit, a solo close by Alice, the story of the transcript the project was founded on (both
  parties ask to settle and abort the signing with code 42), then the lock period passes and the
  channel is settled. It prints a timeline of what each party and the node did and, at the end,
  the balances on chain. --keep leaves the node running afterwards (Ctrl-C stops it).`;

const AE = 10n ** 18n;
const fmt = (aettos: bigint) => {
  const whole = aettos / AE;
  const frac = (aettos % AE).toString().padStart(18, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} AE`;
};

const usage = usageOf('demo');

/** `aesc demo`: the main job — the local node with a demo channel session. */
export async function demoCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const options: NonNullable<ParseArgsConfig['options']> = { port: { type: 'string' }, keep: { type: 'boolean' } };
  let values: { port?: string | boolean | undefined; keep?: string | boolean | undefined };
  try {
    ({ values } = parseArgs({ args: [...args], options, strict: true }));
  } catch (e) {
    throw usage((e as Error).message);
  }
  const port = portOption(values.port, 'port', usage) ?? 0;

  const started = Date.now();
  const line = (who: string, text: string) => io.out(`${String(Date.now() - started).padStart(6)} ms  ${who.padEnd(6)} ${text}`);
  const node = await startDevnet({ port });
  line('node', `listening on ${node.channelUrl} (embedded chain, network id ${node.node.chainInfo.networkId})`);
  const [alice, bob] = (await devAccounts(2)) as [DevAccount, DevAccount];
  const name = (ak: string) => (ak === alice.address ? 'Alice' : ak === bob.address ? 'Bob' : ak);
  const chain = node.chain.chain;
  const onChainBalance = (a: DevAccount) => chain.account(a.address)!.balance;
  const start = { alice: onChainBalance(alice), bob: onChainBalance(bob) };

  let blocks = false;
  let stopLoop = false;
  const blockLoop = (async () => {
    while (!signal?.aborted) {
      if (blocks) await chain.emitKeyBlocks(1);
      await new Promise((r) => setTimeout(r, blocks ? 25 : 10));
      if (stopLoop) return;
    }
  })();
  const withBlocks = async <T>(work: Promise<T>) => {
    blocks = true;
    try {
      return await work;
    } finally {
      blocks = false;
    }
  };

  const amounts = { initiator_amount: 50n * AE, responder_amount: 30n * AE, push_amount: 0n, channel_reserve: AE / 10n, lock_period: 10n };
  let abortSettle = true;
  const open = (role: 'initiator' | 'responder', acc: DevAccount): Promise<ChannelClient> =>
    connectChannel({
      connect: webSocketConnector(
        buildConnectUrl(node.channelUrl, { protocol: 'json-rpc', role, host: '127.0.0.1', port: 14000 + (port % 1000), initiator_id: alice.address, responder_id: bob.address, ...amounts }),
      ),
      config: {
        role,
        initiator: alice.address,
        responder: bob.address,
        networkId: node.node.chainInfo.networkId,
        initiatorAmount: amounts.initiator_amount,
        responderAmount: amounts.responder_amount,
        pushAmount: amounts.push_amount,
        channelReserve: amounts.channel_reserve,
        lockPeriod: amounts.lock_period,
      },
      signer: { address: acc.address, signTransaction: (tx, o) => signTransaction(tx, o.networkId, fromHex(acc.secretKey)!) },
      store: memoryStore(),
      policy: async (req) => {
        if (req.tag === 'settle_sign' && abortSettle) {
          line(name(acc.address), 'declines to sign the settle tx: abort code 42');
          return { abort: 42, reason: 'the founding transcript aborts its settle' };
        }
        return true;
      },
    });
  const lastRound = new Map<string, bigint>();
  const show = (who: string) => (e: ChannelEvent) => {
    if (e.type === 'round') {
      if ((lastRound.get(who) ?? 0n) >= e.round) return;
      lastRound.set(who, e.round);
    }
    if (e.type === 'info' && e.event !== 'fsm_up') line(who, `← info ${e.event}`);
    else if (e.type === 'on-chain-tx') line(who, `← on_chain_tx ${e.info} (${e.txType})`);
    else if (e.type === 'round') line(who, `← update: round ${e.round} co-signed`);
    else if (e.type === 'message') line(who, `← message from ${name(e.from)}: "${e.info}"`);
    else if (e.type === 'conflict') line(who, `← conflict, code ${e.code}`);
  };

  try {
    line('Alice', `${alice.address} opens a channel with Bob: 50 AE + 30 AE, lock period 10 blocks`);
    const b = await open('responder', bob);
    b.on(show('Bob'));
    const a = await open('initiator', alice);
    a.on(show('Alice'));
    await withBlocks(Promise.all([a.waitFor('open'), b.waitFor('open')]));
    line('node', `channel ${a.state().channelId} is open`);

    line('Alice', '→ transfer 5 AE to Bob');
    await a.transfer(bob.address, 5n * AE);
    line('Bob', '→ transfer 2 AE to Alice');
    await b.transfer(alice.address, 2n * AE);
    line('Alice', '→ message to Bob');
    await a.sendMessage(bob.address, 'thanks for the coffee');
    await new Promise((r) => setTimeout(r, 50));
    line('Bob', '→ deposit 10 AE');
    await withBlocks(b.deposit(10n * AE));
    const balances = (await a.balances([alice.address, bob.address])) as { account: string; balance: number | bigint }[];
    line('Alice', `balances: ${balances.map((x) => `${name(x.account)} ${fmt(BigInt(x.balance))}`).join(', ')}`);

    line('Alice', '→ close_solo with the latest co-signed state');
    await a.closeSolo();
    await new Promise((r) => setTimeout(r, 50));
    line('Alice', '→ settle (the seed story: both abort)');
    await a.settle().catch(() => undefined);
    line('Bob', '→ settle');
    await b.settle().catch(() => undefined);
    abortSettle = false;

    const lockedUntil = chain.channel(a.state().channelId!)!.lockedUntil;
    line('chain', `the channel is solo-closing until height ${lockedUntil}; emitting key blocks`);
    let settled: { i: bigint; r: bigint } | undefined;
    a.on((e) => {
      if (e.type === 'on-chain-tx' && e.info === 'channel_closed' && e.tx.tx.tag === 'channel_settle_tx') {
        settled = { i: e.tx.tx.initiatorAmountFinal, r: e.tx.tx.responderAmountFinal };
      }
    });
    const closed = new Promise<void>((resolve) => a.on((e) => e.type === 'info' && e.event === 'closed_confirmed' && resolve()));
    await withBlocks(
      (async () => {
        while (chain.height < lockedUntil) await new Promise((r) => setTimeout(r, 20));
        line('Alice', '→ settle, now for real');
        await a.settle();
        await closed;
      })(),
    );
    line('chain', `channel closed at height ${chain.height}`);
    const gained = { alice: onChainBalance(alice) - start.alice, bob: onChainBalance(bob) - start.bob };
    io.out('');
    io.out('On chain, after the channel (including the fees paid):');
    io.out(`  Alice ${alice.address}: ${fmt(onChainBalance(alice))} (${gained.alice < 0n ? '-' : '+'}${fmt(gained.alice < 0n ? -gained.alice : gained.alice)})`);
    io.out(`  Bob   ${bob.address}: ${fmt(onChainBalance(bob))} (${gained.bob < 0n ? '-' : '+'}${fmt(gained.bob < 0n ? -gained.bob : gained.bob)})`);
    if (settled) io.out(`settled balances: Alice ${fmt(settled.i)}, Bob ${fmt(settled.r)}`);
    a.close();
    b.close();
  } finally {
    stopLoop = true;
    await blockLoop;
  }
  if (values.keep) {
    io.out(`the node keeps running on ${node.channelUrl}; press Ctrl-C to stop`);
    await waitForStop(signal);
  }
  await closeNode(node);
  return EXIT_OK;
}

async function closeNode(node: DevnetHandle): Promise<void> {
  await node.close();
}

function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
