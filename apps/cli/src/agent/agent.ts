import type { Server } from 'node:http';
import { type ChainAdapter, httpAdapter } from '@aesc/chain-api';
import {
  type ChannelClient,
  type ChannelEvent,
  type ClientConfig,
  type DisputeProgress,
  type HistoryQuery,
  type PinnedBlock,
  connectChannel,
  fileStore,
  resumeFrom,
} from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { txHash } from '@aesc/crypto';
import { type AccountAddress, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CLI__NO_CHANNEL, AESC_ERROR__CLI__USAGE, AescError, isAescError } from '@aesc/errors';
import { webSocketConnector } from '@aesc/rpc';
import type { Signer } from '@aesc/wallet';
import { plain } from '../colors.js';
import { reestablishCommand } from '../commands/reestablish-command.js';
import type { Io } from '../io.js';
import { jsonStringify } from '../json.js';
import { balancesJson, balancesText } from './balances.js';
import { type ControlRequest, type Progress, serveControl } from './control.js';
import { depthProgress } from './depth-progress.js';
import { AGENT_MAX_FEE, acceptDecision } from './policy.js';
import { type Session, saveSession, sessionPaths } from './session.js';

/** What an agent runs with. */
export interface AgentOptions {
  readonly name: string;
  readonly dir: string;
  readonly session: Session;
  readonly signer: Signer;
  /** Come back to the channel kept in the session's store (leave → reestablish, or a lost connection). */
  readonly resume: boolean;
  readonly json: boolean;
  /** Names for addresses in human output (the home directory's accounts). */
  readonly names?: ReadonlyMap<string, string>;
  readonly io: Io;
  readonly signal?: AbortSignal;
}

const big = (s: string) => BigInt(s);

/** Network ids of æternity's public networks (mainnet, testnet). */
const PUBLIC_NETWORKS: ReadonlySet<string> = new Set(['ae_mainnet', 'ae_uat']);

/**
 * The party's agent: holds the channel connection in the foreground, signs what verifies (every
 * tx is checked by @aesc/channel against what was asked and the state hash before it is signed),
 * keeps each co-signed round in the session's store before acknowledging it, prints what happens,
 * and serves the session's control socket for `aesc channel <command>`. It ends when the channel
 * is closed on chain, when the party leaves, or on Ctrl-C (which leaves, so that
 * `aesc channel reestablish` can come back).
 */
export async function runAgent(o: AgentOptions): Promise<number> {
  const { session, io } = o;
  const paths = sessionPaths(o.dir);
  const store = await fileStore(paths.store);
  const who = (a: string) =>
    o.names?.get(a) ?? (a === session.address ? o.name : a === session.initiator ? 'initiator' : a === session.responder ? 'responder' : a);
  const paint = io.paint ?? plain;
  const print = (event: Record<string, unknown>, human: string) => io.out(o.json ? jsonStringify({ event: event.event, ...event }) : `${paint('cyan', `[${o.name}]`)} ${human}`);
  const balances = (c: ChannelClient) => {
    const last = c.state().last;
    if (last === undefined) return {};
    return balancesJson(last.state.trees, [session.initiator, session.responder]);
  };
  const status = (c: ChannelClient) => {
    const s = c.state();
    return { session: o.name, account: session.address, role: session.role, phase: s.phase, channelId: s.channelId ?? null, fsmId: s.fsmId ?? null, round: s.last?.state.round.toString() ?? null, balances: balances(c) };
  };

  let config: ClientConfig = {
    role: session.role,
    initiator: session.initiator,
    responder: session.responder,
    networkId: session.networkId,
    initiatorAmount: big(session.initiatorAmount),
    responderAmount: big(session.responderAmount),
    pushAmount: big(session.pushAmount),
    channelReserve: big(session.channelReserve),
    lockPeriod: big(session.lockPeriod),
    maxFee: AGENT_MAX_FEE,
  };
  let resumeParams: Record<string, string> = {};
  if (o.resume) {
    const record = session.channelId === undefined ? undefined : await store.load(session.channelId);
    if (record === undefined) throw new AescError(AESC_ERROR__CLI__NO_CHANNEL, { session: o.name });
    const r = resumeFrom(record);
    config = { ...config, resume: r.resume };
    resumeParams = r.connectParams;
  }
  const url = buildConnectUrl(session.nodeUrl, {
    protocol: 'json-rpc',
    role: session.role,
    host: session.host,
    port: session.port,
    initiator_id: session.initiator,
    responder_id: session.responder,
    initiator_amount: big(session.initiatorAmount),
    responder_amount: big(session.responderAmount),
    push_amount: big(session.pushAmount),
    channel_reserve: big(session.channelReserve),
    lock_period: big(session.lockPeriod),
    ...session.connectParams,
    ...resumeParams,
  });

  // The control socket first: a second agent for the session stops here, before it connects; and
  // the agent says who it is before anything of the channel happens.
  let connected: (c: ChannelClient) => void = () => undefined;
  let failed: (e: unknown) => void = () => undefined;
  const ready = new Promise<ChannelClient>((resolve, reject) => {
    connected = resolve;
    failed = reject;
  });
  ready.catch(() => undefined);
  let leaving = false;
  const handle = async (req: ControlRequest, progress: Progress) => {
    const c = await ready;
    return command(req, progress, { client: c, chain, session, status: () => status(c), balances: () => balances(c), onLeave: () => (leaving = true) });
  };
  const chain = httpAdapter(session.chainUrl, { pollMs: 250 });
  let server: Server;
  try {
    server = await serveControl(paths.socket, handle);
  } catch (e) {
    await chain.close();
    throw e;
  }
  const closeServer = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  };
  print(
    { event: 'agent', session: o.name, socket: paths.socket, account: session.address, role: session.role },
    `agent for ${paint('bold', who(session.address))} ${session.address} (${session.role}) on ${session.nodeUrl}; control socket ${paths.socket}`,
  );

  // Disputes the agent carries out unasked (the session's auto-slash, on by default).
  const disputeProgress = (p: DisputeProgress) => {
    switch (p.type) {
      case 'slashing':
        return print({ event: 'dispute', step: 'slashing', round: p.round.toString() }, `the peer closed on chain with an older state: slashing with round ${p.round}`);
      case 'slashed':
        return print({ event: 'dispute', step: 'slashed', round: p.round.toString() }, `slashed: the channel closes at round ${p.round}`);
      case 'settling':
        return print({ event: 'dispute', step: 'settling' }, 'settle signed: the node posts it when the lock period ends');
      case 'settled':
        return print({ event: 'dispute', step: 'settled' }, 'settled');
      case 'failed': {
        const code = isAescError(p.error) ? p.error.code : null;
        const message = p.error instanceof Error ? p.error.message : String(p.error);
        return print({ event: 'dispute', step: 'failed', of: p.step, code, message }, `the ${p.step} failed${code === null ? '' : ` (error ${code})`}: ${message}`);
      }
    }
  };

  let client: ChannelClient;
  try {
    client = await connectChannel({
      connect: webSocketConnector(url),
      config,
      signer: o.signer,
      store,
      policy: async (req) => {
        const decision = acceptDecision(req, session.address, session.accept ?? 'safe');
        if (decision !== true) {
          const whose = req.peerProposal ? "the peer's " : 'a ';
          print({ event: 'declined', tag: req.tag, code: decision.abort }, `declines ${whose}${req.tag.replace(/_ack$/, '')}: ${decision.reason} (abort code ${decision.abort})`);
        } else if (req.peerProposal) {
          print({ event: 'signing', tag: req.tag }, `signs the peer's ${req.tag.replace(/_ack$/, '')} (verified)`);
        }
        return decision;
      },
      autoDispute: session.autoSlash === false ? false : { onProgress: (p) => disputeProgress(p) },
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } catch (e) {
    failed(e);
    await closeServer();
    await chain.close();
    throw e;
  }
  connected(client);

  const balancesLine = () => balancesText(balances(client), who);

  let lastRound = 0n;
  let announcedOpen = false;
  const depth = depthProgress({
    chain,
    // a public network makes a key block every few minutes: no hint there
    quietMs: PUBLIC_NETWORKS.has(session.networkId) ? undefined : 5000,
    report: (r) =>
      r.event === 'depth'
        ? print(r, `${r.tx} ${r.depth} key block${r.depth === 1 ? '' : 's'} deep: waiting for the minimum depth`)
        : print(r, `no new key block for ${r.seconds} s: a dev chain makes them with "aesc chain emit N" (or run "aesc node start --block-interval MS")`),
  });
  const onEvent = (e: ChannelEvent) => {
    switch (e.type) {
      case 'phase': {
        const event = { event: 'phase', phase: e.phase, channelId: client.state().channelId ?? null };
        // People see where the channel is; the signing rounds in between show as rounds.
        if (o.json) print(event, '');
        else if (e.phase === 'open' && !announcedOpen) {
          announcedOpen = true;
          print(event, `open — channel ${client.state().channelId}`);
        } else if (e.phase !== 'open' && e.phase !== 'signing') print(event, e.phase);
        return;
      }
      case 'info':
        depth.onInfo(e.event);
        if (e.event !== 'fsm_up') print({ event: 'info', info: e.event }, `← ${e.event}`);
        return;
      case 'round':
        if (e.round <= lastRound) return;
        lastRound = e.round;
        print({ event: 'round', round: e.round.toString(), balances: balances(client) }, `round ${e.round} co-signed and stored: ${balancesLine()}`);
        return;
      case 'on-chain-tx':
        print({ event: 'on_chain_tx', info: e.info, type: e.txType, tx: e.tx.tx.tag }, `← on chain: ${e.tx.tx.tag} (${e.info})`);
        depth.onChainTx(e.info, e.tx.tx.tag, txHash(e.tx));
        return;
      case 'message':
        print({ event: 'message', from: e.from, text: e.info }, `← message from ${who(e.from)}: ${e.info}`);
        return;
      case 'conflict':
        print({ event: 'conflict', round: e.round.toString(), code: e.code }, `← conflict at round ${e.round}, code ${e.code}`);
        return;
      case 'refused':
      case 'error':
        print({ event: 'error', code: e.error.code, message: e.error.message }, `error ${e.error.code}: ${e.error.message}`);
        return;
    }
  };
  client.on(onEvent);

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  client.on((e) => {
    if (e.type !== 'phase') return;
    if (e.phase === 'closed') finish(0);
    else if (e.phase === 'left') finish(0);
    else if (e.phase === 'terminated') finish(leaving || client.state().phase === 'closed' ? 0 : 1);
  });
  // The channel id becomes part of the session as soon as the node names it (for reestablish).
  let savedChannelId = session.channelId;
  client.on((e) => {
    const id = client.state().channelId;
    if (e.type !== 'round' || id === undefined || savedChannelId === id) return;
    savedChannelId = id;
    saveSession(o.dir, { ...session, channelId: id }).catch((error: unknown) =>
      print({ event: 'error', code: null, message: `cannot write the session file: ${(error as Error).message}` }, `cannot write the session file: ${(error as Error).message}`),
    );
  });

  // A responder waits, silently at the node's end, until its initiator comes: say for whom.
  if (session.role === 'responder' && client.state().phase !== 'open') {
    const what = o.resume ? 'to reestablish the channel' : 'to open the channel';
    print({ event: 'waiting', for: 'initiator', port: session.port }, `waiting for the initiator (${who(session.initiator)}) ${what}, port ${session.port}`);
  }

  const onSignal = () => {
    leaving = true;
    print({ event: 'leaving' }, `leaving the channel (come back with "${reestablishCommand(o.name, session.account)}")`);
    client.leave().catch(() => finish(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  o.signal?.addEventListener('abort', onSignal, { once: true });

  const code = await finished;
  depth.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await client.idle().catch(() => undefined);
  print({ event: 'exit', phase: client.state().phase, code }, `agent ends: ${client.state().phase}`);
  // Let the last control answer go out, then close the socket.
  await new Promise((r) => setTimeout(r, 50));
  await closeServer();
  client.close();
  await chain.close();
  return code;
}

interface Context {
  readonly client: ChannelClient;
  readonly chain: ChainAdapter;
  readonly session: Session;
  readonly status: () => Record<string, unknown>;
  readonly balances: () => Record<string, string>;
  readonly onLeave: () => void;
}

const addr = (v: unknown, field: string): AccountAddress => {
  if (typeof v !== 'string' || !v.startsWith('ak_')) throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${field} is an ak_ address` });
  return v as AccountAddress;
};
const amount = (v: unknown, field: string): bigint => {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${field} is an amount in aettos` });
  return BigInt(v);
};
const onChain = (req: ControlRequest) => ({
  ...(typeof req.fee === 'string' ? { fee: amount(req.fee, 'fee') } : {}),
  ...(typeof req.nonce === 'string' ? { nonce: amount(req.nonce, 'nonce') } : {}),
});
/** The block a request pins its round to, if any (checked by the command; the node checks it again). */
const pinned = (req: ControlRequest): { blockHash?: PinnedBlock } => {
  if (req.blockHash === undefined) return {};
  if (typeof req.blockHash !== 'string' || !(isEncoded(req.blockHash, 'kh') || isEncoded(req.blockHash, 'mh'))) {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: 'blockHash is a kh_ or mh_ hash' });
  }
  return { blockHash: req.blockHash as PinnedBlock };
};
/** A history query from a request: `n`, `type` and `tag` as the command checked them. */
const historyQuery = (req: ControlRequest): HistoryQuery => ({
  ...(typeof req.n === 'number' ? { n: req.n } : {}),
  ...(Array.isArray(req.type) ? { type: req.type as NonNullable<HistoryQuery['type']> } : {}),
  ...(Array.isArray(req.tag) ? { tag: req.tag as NonNullable<HistoryQuery['tag']> } : {}),
});

/** Waits for a phase, reporting progress with the chain's height while it waits. */
async function waitPhase(c: Context, phase: 'closed' | 'open', what: string, progress: Progress): Promise<void> {
  progress(what);
  const timer = setInterval(() => {
    void c.chain.height().then((h) => progress(`${what} (height ${h})`), () => undefined);
  }, 500);
  try {
    if (c.client.state().phase !== phase) await c.client.waitFor(phase);
  } finally {
    clearInterval(timer);
  }
}

async function command(req: ControlRequest, progress: Progress, c: Context): Promise<unknown> {
  const { client, session } = c;
  const after = () => ({ round: client.state().last?.state.round.toString() ?? null, balances: c.balances() });
  switch (req.command) {
    case 'ping':
      return { ok: true };
    case 'status':
      return c.status();
    case 'balances':
      return after();
    case 'transfer':
      await client.transfer(addr(req.to, 'to'), amount(req.amount, 'amount'), { ...(req.from === undefined ? {} : { from: addr(req.from, 'from') }), ...pinned(req) });
      return after();
    case 'deposit':
      progress('waiting for the deposit to reach its minimum depth');
      await client.deposit(amount(req.amount, 'amount'), { ...onChain(req), ...pinned(req) });
      return after();
    case 'withdraw':
      progress('waiting for the withdrawal to reach its minimum depth');
      await client.withdraw(amount(req.amount, 'amount'), { ...onChain(req), ...pinned(req) });
      return after();
    case 'message':
      if (typeof req.text !== 'string') throw new AescError(AESC_ERROR__CLI__USAGE, { reason: 'a message has a text' });
      await client.sendMessage(addr(req.to, 'to'), req.text, req.from === undefined ? {} : { from: addr(req.from, 'from') });
      return { sent: true };
    case 'history':
      return { entries: await client.history(historyQuery(req)) };
    case 'close': {
      const final = after();
      await client.shutdown(onChain(req));
      await waitPhase(c, 'closed', 'waiting for the mutual close to be confirmed', progress);
      return { closed: true, channelId: client.state().channelId, ...final };
    }
    case 'close-solo': {
      await client.closeSolo(onChain(req));
      const ch = await c.chain.channel(client.state().channelId!);
      return { soloClosing: true, round: client.state().last?.state.round.toString() ?? null, lockedUntil: ch?.lockedUntil.toString() ?? null };
    }
    case 'slash': {
      await client.slash(onChain(req));
      const ch = await c.chain.channel(client.state().channelId!);
      return { slashed: true, lockedUntil: ch?.lockedUntil.toString() ?? null };
    }
    case 'snapshot':
      await client.snapshotSolo(onChain(req));
      return { snapshot: true, ...after() };
    case 'settle': {
      const id = client.state().channelId!;
      for (;;) {
        const [ch, h] = await Promise.all([c.chain.channel(id), c.chain.height()]);
        if (ch === null || ch.lockedUntil === 0n) throw new AescError(AESC_ERROR__CLI__USAGE, { reason: 'the channel is not closing solo on chain: close-solo first' });
        progress(`lock period: height ${h} of ${ch.lockedUntil}`);
        if (h >= ch.lockedUntil) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const amounts = client.state().closingAmounts;
      progress('waiting for the settle to be confirmed');
      await client.settle(onChain(req));
      await waitPhase(c, 'closed', 'waiting for the settle to be confirmed', progress);
      return {
        closed: true,
        channelId: id,
        balances: amounts === undefined ? {} : { [session.initiator]: amounts[0].toString(), [session.responder]: amounts[1].toString() },
      };
    }
    case 'leave':
      c.onLeave();
      await client.leave();
      return { left: true, ...after() };
    default:
      throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `the agent has no command "${req.command}"` });
  }
}
