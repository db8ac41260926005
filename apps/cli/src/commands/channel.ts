import { fileStore } from '@aesc/channel';
import { CONNECT_PARAMS, buildConnectUrl, parseConnectUrl } from '@aesc/channel-api';
import { type AccountAddress, isEncoded } from '@aesc/encoding';
import { AescError } from '@aesc/errors';
import { keystoreSigner } from '@aesc/wallet';
import { runAgent } from '../agent/agent.js';
import { reestablishCommand } from './reestablish-command.js';
import { balancesJson, balancesText } from '../agent/balances.js';
import { callAgent } from '../agent/control.js';
import { type Session, loadSession, saveSession, sessionPaths } from '../agent/session.js';
import { parseAmount } from '../amount.js';
import { chainUrl, channelEndpointOf, defaultNode, withChain } from '../chain-http.js';
import { EXIT_OK } from '../errors.js';
import { type Options, intOption as intOptionOf, parseOptions, portOption, usageOf } from '../options.js';
import { checkName, homeDir, listAccounts, loadKeystore, password, resolveAccount, sessionDir } from '../home.js';
import type { Io } from '../io.js';
import { jsonStringify } from '../json.js';

export const CHANNEL_HELP = `Usage: aesc channel <command> [arguments] [options]

A channel session is one party's side of a channel. "open" and "reestablish" run the party's agent
in the foreground: it holds the connection to the channel node, checks every tx before signing it,
stores every co-signed round before acknowledging it, and prints what happens. The other commands
talk to the running agent of the session (from another terminal or a script).

  aesc channel open --account A --role initiator|responder --peer <name|ak_…>
                    --amount X --peer-amount Y [--push Z] [--reserve R] [--lock-period N]
                    [--node URL] [--chain URL] [--host H] [--port P] [--network-id N]
                    [--minimum-depth N] [--timeout-idle MS] [--accept safe|all] [--no-auto-slash]
                    [--msg-forwarding] [--connect name=value]…
      Opens a channel. The responder's agent starts first and waits for the initiator at --port
      (default 3015) on --host (default 127.0.0.1); both give the same amounts. The agent signs
      what it asked for (nothing else), and of the peer's proposals (once verified) everything but
      a transfer out of its own account or a deposit or withdrawal of its coins, which it declines
      with abort code 128; --accept all signs those too. When the peer closes the channel on
      chain with an older state than the latest co-signed one, the agent slashes it at once and
      settles after the lock period, unasked; --no-auto-slash leaves that to "aesc channel slash".
      --msg-forwarding lets messages go from and to other accounts than the two parties'.
      --connect sets any other optional connect param of the node's API (bh_delta_not_older_than,
      timeout_sign, report_debug, log_keep, …), as the node reads it; repeat it for several.
  aesc channel reestablish [--no-auto-slash]
      comes back to the session's channel after a leave (from its store); a stale close the peer
      posted meanwhile is slashed as soon as the agent is back
  aesc channel transfer <to> <amount> [--from <name|ak_…>] [--block-hash kh_…|mh_…]
      --from the peer's account proposes that the peer pays (its agent declines unless --accept all)
      --block-hash pins the round to that block (the chain state the node checks it against)
  aesc channel deposit <amount> [--fee F] [--block-hash kh_…|mh_…]
  aesc channel withdraw <amount> [--fee F] [--block-hash kh_…|mh_…]
  aesc channel message <to> <text> [--from <name|ak_…>]
      --from another account than this party's takes a channel opened with --msg-forwarding; a
      message the node refuses shows in the agent's output
  aesc channel balances        the balances of the latest co-signed round (kept by this party)
  aesc channel history [--n N] [--type rpt,req,snd,rcv] [--tag info,update,on_chain_tx,…]
      the node's event log of this party's channel, newest first (default the 10 newest)
  aesc channel close [--fee F]   mutual close; waits until it is confirmed on chain
  aesc channel close-solo      publishes the latest co-signed state on chain alone
  aesc channel settle          waits for the lock period (a live progress line), then settles
  aesc channel slash           answers a stale solo close with a newer co-signed state
  aesc channel snapshot        puts the latest co-signed state on chain (snapshot_solo)
  aesc channel leave           leaves; the node keeps the channel for a reestablish
  aesc channel status          the session: phase, channel id, round, balances

Options for all:
  --account A   the account (see "aesc account list"); the session is named after it
  --session S   another session name (several channels of one account)
  --home D      where accounts and sessions live (default $AESC_HOME or ~/.aesc)
  --password-file F   the keystore password (first line); else $AESC_PASSWORD; else, on a
                terminal, it is asked for (not echoed)
  --json        machine-readable output: one JSON object (amounts in aettos as strings); the agent
                prints one JSON event per line
Defaults: --node ws://127.0.0.1:3013/channel (or the /channel endpoint of $AESC_NODE, e.g.
http://127.0.0.1:3013), --chain the node's host and port over http.
Amounts are aettos (5000) or AE with the suffix (1.5ae). Exit status: 0 success, 1 the channel or
chain refused, 2 bad input, 3 no agent / node reachable.`;

const usage = usageOf('channel');

const OPTIONS: Options = {
  account: { type: 'string' },
  session: { type: 'string' },
  home: { type: 'string' },
  'password-file': { type: 'string' },
  json: { type: 'boolean' },
  role: { type: 'string' },
  peer: { type: 'string' },
  amount: { type: 'string' },
  'peer-amount': { type: 'string' },
  push: { type: 'string' },
  reserve: { type: 'string' },
  'lock-period': { type: 'string' },
  node: { type: 'string' },
  chain: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'network-id': { type: 'string' },
  'minimum-depth': { type: 'string' },
  'timeout-idle': { type: 'string' },
  accept: { type: 'string' },
  'no-auto-slash': { type: 'boolean' },
  fee: { type: 'string' },
  from: { type: 'string' },
  'block-hash': { type: 'string' },
  'msg-forwarding': { type: 'boolean' },
  connect: { type: 'string', multiple: true },
  n: { type: 'string' },
  type: { type: 'string' },
  tag: { type: 'string' },
};

const HISTORY_TYPES: readonly string[] = ['rpt', 'req', 'snd', 'rcv'];
const HISTORY_TAGS: readonly string[] = ['info', 'on_chain_tx', 'conflict', 'update', 'leave', 'error', 'debug'];

/** A comma-separated list option whose items are all in `allowed`, or undefined when absent. */
function listOption(value: unknown, name: string, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value).split(',').filter((v) => v !== '');
  const bad = items.find((v) => !allowed.includes(v));
  if (bad !== undefined || items.length === 0) throw usage(`--${name} takes a comma-separated list of ${allowed.join(', ')}`);
  return items;
}

/** `--block-hash`: a key or micro block hash, as given. */
function blockHashOption(value: unknown): { blockHash?: string } {
  if (value === undefined) return {};
  const v = String(value);
  if (!isEncoded(v, 'kh') && !isEncoded(v, 'mh')) throw usage(`--block-hash takes a key or micro block hash (kh_… or mh_…), not "${v.slice(0, 16)}"`);
  return { blockHash: v };
}

type Values = ReturnType<typeof parse>['values'];

const parse = (args: readonly string[]) => parseOptions(args, OPTIONS, usage);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const intOption = (value: unknown, name: string) => intOptionOf(value, name, usage);

/** The chain's HTTP API next to a node's /channel endpoint (ours serves both on one port). */
function chainNextTo(nodeUrl: string): string {
  const u = new URL(nodeUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
}

const addressOf = async (home: string, who: string | undefined, what: string): Promise<AccountAddress> =>
  (await resolveAccount(home, who, () => usage(`give ${what}`))).address;

const SUBCOMMANDS = ['open', 'reestablish', 'transfer', 'deposit', 'withdraw', 'message', 'balances', 'history', 'close', 'close-solo', 'settle', 'slash', 'snapshot', 'leave', 'status'];

/** `aesc channel <command>` */
export async function channelCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || !SUBCOMMANDS.includes(sub)) {
    throw usage(sub === undefined ? 'aesc channel takes a command' : `unknown command "${sub}"`);
  }
  const { values, positionals } = parse(rest);
  const env = io.env ?? {};
  const home = homeDir(values.home, env);
  const json = values.json === true;
  const sessionName = checkName(str(values.session) ?? str(values.account), 'session (give --account or --session)');
  const dir = sessionDir(home, sessionName);
  const takes = (n: number) => {
    if (positionals.length !== n) throw usage(`aesc channel ${sub} takes ${n} argument(s)`);
  };

  if (sub === 'open' || sub === 'reestablish') {
    takes(0);
    const account = checkName(str(values.account) ?? (sub === 'reestablish' ? (await loadSession(dir, sessionName)).account : undefined), 'account');
    const keystore = await loadKeystore(home, account);
    const loaded = sub === 'open' ? await newSession(home, account, keystore.public_key as AccountAddress, values, env) : await loadSession(dir, sessionName);
    const session = sub === 'reestablish' && values['no-auto-slash'] === true ? { ...loaded, autoSlash: false } : loaded;
    if (sub === 'open') {
      const old = await loadSession(dir, sessionName).catch(() => undefined);
      if (old?.channelId !== undefined && (await (await fileStore(sessionPaths(dir).store)).load(old.channelId)) !== undefined) {
        const closed = await withChain(old.chainUrl, (c) => c.channel(old.channelId!)).catch(() => undefined);
        if (closed !== null) throw usage(`session "${sessionName}" holds channel ${old.channelId}; reestablish it, or open with another --session`);
      }
      await saveSession(dir, session);
    }
    const signer = await keystoreSigner(keystore, await password(account, values['password-file'], env, io.promptSecret));
    const names = new Map((await listAccounts(home)).map((a) => [a.address, a.name]));
    return runAgent({ name: sessionName, dir, session, signer, resume: sub === 'reestablish', json, names, io, ...(signal === undefined ? {} : { signal }) });
  }

  const session = await loadSession(dir, sessionName);
  const names = new Map((await listAccounts(home)).map((a) => [a.address, a.name]));
  const who = (a: string) => names.get(a) ?? `${a.slice(0, 10)}…`;
  const balancesLine = (b: Record<string, string>) => balancesText(b, who);
  const ask = async (req: { command: string } & Record<string, unknown>) => {
    try {
      return (await callAgent(sessionPaths(dir).socket, sessionName, req, (line) => io.progress?.(line))) as Record<string, unknown>;
    } finally {
      io.progress?.(undefined);
    }
  };
  const fee = str(values.fee) === undefined ? {} : { fee: parseAmount(str(values.fee)!, '--fee').toString() };
  const show = (result: Record<string, unknown>, human: string) => {
    io.out(json ? jsonStringify(result) : human);
    return EXIT_OK;
  };
  const roundLine = (r: Record<string, unknown>) => `round ${r.round}: ${balancesLine(r.balances as Record<string, string>)}`;

  switch (sub) {
    case 'transfer': {
      takes(2);
      const to = await addressOf(home, positionals[0], 'the recipient');
      const from = values.from === undefined ? {} : { from: await addressOf(home, str(values.from), '--from') };
      const r = await ask({ command: 'transfer', to, amount: parseAmount(positionals[1]!, 'the amount').toString(), ...from, ...blockHashOption(values['block-hash']) });
      return show(r, roundLine(r));
    }
    case 'deposit':
    case 'withdraw': {
      takes(1);
      const r = await ask({ command: sub, amount: parseAmount(positionals[0]!, 'the amount').toString(), ...fee, ...blockHashOption(values['block-hash']) });
      return show(r, roundLine(r));
    }
    case 'message': {
      takes(2);
      const to = await addressOf(home, positionals[0], 'the recipient');
      const from = values.from === undefined ? {} : { from: await addressOf(home, str(values.from), '--from') };
      const r = await ask({ command: 'message', to, text: positionals[1], ...from });
      return show(r, `sent to ${who(to)}`);
    }
    case 'balances': {
      takes(0);
      const r = await ask({ command: 'balances' });
      return show(r, roundLine(r));
    }
    case 'history': {
      takes(0);
      const n = intOption(values.n, 'n');
      const type = listOption(values.type, 'type', HISTORY_TYPES);
      const tag = listOption(values.tag, 'tag', HISTORY_TAGS);
      const r = await ask({ command: 'history', ...(n === undefined ? {} : { n }), ...(type ? { type } : {}), ...(tag ? { tag } : {}) });
      const entries = r.entries as { type: string; tag: string; time: string; info: unknown }[];
      return show(r, entries.length === 0 ? 'no entries' : entries.map((e) => `${e.time}  ${e.type.padEnd(7)} ${e.tag}`).join('\n'));
    }
    case 'close': {
      takes(0);
      const r = await ask({ command: 'close', ...fee });
      return show(r, `channel ${r.channelId} closed by both parties (last round ${r.round}: ${balancesLine(r.balances as Record<string, string>)})`);
    }
    case 'close-solo': {
      takes(0);
      const r = await ask({ command: 'close-solo', ...fee });
      return show(r, `closing solo with round ${r.round}; locked until height ${r.lockedUntil} ("aesc channel settle" then)`);
    }
    case 'slash': {
      takes(0);
      const r = await ask({ command: 'slash', ...fee });
      return show(r, `slashed; locked until height ${r.lockedUntil}`);
    }
    case 'snapshot': {
      takes(0);
      const r = await ask({ command: 'snapshot', ...fee });
      return show(r, `snapshot of ${roundLine(r)} on chain`);
    }
    case 'settle': {
      takes(0);
      const r = await ask({ command: 'settle', ...fee });
      return show(r, `channel ${r.channelId} settled: ${balancesLine(r.balances as Record<string, string>)}`);
    }
    case 'leave': {
      takes(0);
      const r = await ask({ command: 'leave' });
      return show(r, `left at ${roundLine(r)}; come back with "${reestablishCommand(sessionName, session.account)}"`);
    }
    case 'status': {
      takes(0);
      const r = await ask({ command: 'status' }).catch(async (e) => {
        if (!(e instanceof AescError) || e.code !== 10007) throw e;
        return offlineStatus(sessionName, dir, session);
      });
      return show(
        r,
        [
          `session ${sessionName}: ${r.phase}${r.phase === 'offline' ? ' (no agent runs)' : ''}`,
          `  account ${session.address} (${session.role})`,
          `  channel ${r.channelId ?? 'not open yet'}`,
          r.round === null ? '  no co-signed round yet' : `  ${roundLine(r)}`,
        ].join('\n'),
      );
    }
    default:
      throw usage(sub === undefined ? 'aesc channel takes a command' : `unknown command "${sub}"`);
  }
}

async function offlineStatus(name: string, dir: string, session: Session): Promise<Record<string, unknown>> {
  const record = session.channelId === undefined ? undefined : await (await fileStore(sessionPaths(dir).store)).load(session.channelId);
  const balances = record === undefined ? {} : balancesJson(record.lastCoSigned.state.trees, [session.initiator, session.responder]);
  return {
    session: name,
    account: session.address,
    role: session.role,
    phase: 'offline',
    channelId: session.channelId ?? null,
    fsmId: record?.fsmId ?? null,
    round: record?.lastCoSigned.state.round.toString() ?? null,
    balances,
  };
}

async function newSession(home: string, account: string, address: AccountAddress, values: Values, env: Readonly<Record<string, string | undefined>>): Promise<Session> {
  const role = str(values.role);
  if (role !== 'initiator' && role !== 'responder') throw usage('--role is initiator or responder');
  const peer = await addressOf(home, str(values.peer), '--peer (the other party: an account name or ak_ address)');
  const need = (v: unknown, name: string) => {
    if (typeof v !== 'string') throw usage(`aesc channel open needs --${name}`);
    return parseAmount(v, `--${name}`);
  };
  const own = need(values.amount, 'amount');
  const theirs = need(values['peer-amount'], 'peer-amount');
  const nodeUrl = str(values.node) ?? channelEndpointOf(defaultNode(env));
  try {
    new URL(nodeUrl);
  } catch {
    throw usage(`--node takes a ws:// URL, not "${nodeUrl}"`);
  }
  const chain = str(values.chain) === undefined ? chainNextTo(nodeUrl) : chainUrl(values.chain, env);
  const networkId = str(values['network-id']) ?? (await withChain(chain, (c) => c.info())).networkId;
  const port = portOption(values.port, 'port', usage) ?? 3015;
  const accept = str(values.accept) ?? 'safe';
  if (accept !== 'safe' && accept !== 'all') throw usage('--accept is safe or all');
  const connectParams: Record<string, string> = {};
  const depth = intOption(values['minimum-depth'], 'minimum-depth');
  if (depth !== undefined) connectParams.minimum_depth = String(depth);
  const idle = intOption(values['timeout-idle'], 'timeout-idle');
  if (idle !== undefined) connectParams.timeout_idle = String(idle);
  if (values['msg-forwarding'] === true) connectParams.msg_forwarding = 'true';
  for (const item of (values.connect as string[] | undefined) ?? []) {
    const [name, value] = [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)];
    const spec = (CONNECT_PARAMS as Record<string, { required: string; legacy?: boolean }>)[name];
    if (!item.includes('=') || spec === undefined || spec.required !== 'no' || spec.legacy || name.startsWith('existing_')) {
      throw usage(`--connect takes name=value of an optional connect param of the node's API, not "${item.slice(0, 40)}"`);
    }
    connectParams[name] = value;
  }
  // The node's own checks on the whole set (types, amounts against the reserve, …), before the agent starts.
  const check = parseConnectUrl(
    buildConnectUrl('ws://localhost/channel', {
      protocol: 'json-rpc',
      role,
      host: str(values.host) ?? '127.0.0.1',
      port,
      initiator_id: role === 'initiator' ? address : peer,
      responder_id: role === 'initiator' ? peer : address,
      initiator_amount: role === 'initiator' ? own : theirs,
      responder_amount: role === 'initiator' ? theirs : own,
      push_amount: values.push === undefined ? 0n : parseAmount(String(values.push), '--push'),
      channel_reserve: values.reserve === undefined ? 0n : parseAmount(String(values.reserve), '--reserve'),
      lock_period: intOption(values['lock-period'], 'lock-period') ?? 10,
      ...connectParams,
    }),
  );
  if (!check.ok) throw usage(check.error.message);
  return {
    version: 1,
    account,
    address,
    role,
    initiator: role === 'initiator' ? address : peer,
    responder: role === 'initiator' ? peer : address,
    nodeUrl,
    chainUrl: chain,
    networkId,
    host: str(values.host) ?? '127.0.0.1',
    port,
    initiatorAmount: (role === 'initiator' ? own : theirs).toString(),
    responderAmount: (role === 'initiator' ? theirs : own).toString(),
    pushAmount: (values.push === undefined ? 0n : parseAmount(String(values.push), '--push')).toString(),
    channelReserve: (values.reserve === undefined ? 0n : parseAmount(String(values.reserve), '--reserve')).toString(),
    lockPeriod: String(intOption(values['lock-period'], 'lock-period') ?? 10),
    accept,
    ...(values['no-auto-slash'] === true ? { autoSlash: false } : {}),
    connectParams,
  };
}
