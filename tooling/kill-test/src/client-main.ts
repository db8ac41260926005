/**
 * One party of the kill test's channel, in a process of its own: an `@aesc/channel` client with a
 * file store, driven over stdin/stdout JSON lines (see `lines.ts`).
 *
 *   node dist/client-main.js --node ws://127.0.0.1:P/channel --role initiator|responder
 *     --store DIR --peer-port N --amounts JSON [--resume]
 *
 * Without `--resume` it opens the channel; with it, or on a `resume` command, it comes back exactly
 * as the channel README documents: `store.load` → `resumeFrom` → `connectChannel` with the resume
 * config and the connect params `resumeFrom` gives. The account is the dev chain's first (initiator)
 * or second (responder) dev account; no key is read from or written to anywhere else.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { devAccounts } from '@aesc/chain';
import { type ChannelClient, type ChannelStore, type ClientConfig, connectChannel, fileStore, resumeFrom } from '@aesc/channel';
import { buildConnectUrl } from '@aesc/channel-api';
import { signTransaction } from '@aesc/crypto';
import { type AccountAddress, type ChannelId, decodeTx, fromHex } from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import { type TransportConnector, webSocketConnector } from '@aesc/rpc';
import { balanceOf } from '@aesc/state';
import { type CommandError, parseCommand } from './command.js';
import type { ClientReply, ClientReport, ClientStatus, NodeView } from './lines.js';
import { type OpenAmounts, amountsFromJson, openParams } from './open-params.js';

const { values } = parseArgs({
  options: {
    node: { type: 'string' },
    role: { type: 'string' },
    store: { type: 'string' },
    'peer-port': { type: 'string' },
    amounts: { type: 'string' },
    resume: { type: 'boolean', default: false },
  },
});
if (values.role !== 'initiator' && values.role !== 'responder') throw new Error('--role is initiator or responder');
const role: 'initiator' | 'responder' = values.role;
const nodeUrl = String(values.node);
const peerPort = Number(values['peer-port']);
const amounts: OpenAmounts = amountsFromJson(JSON.parse(String(values.amounts)));

const [a, b] = await devAccounts(2);
const me = role === 'initiator' ? a! : b!;
const other = role === 'initiator' ? b! : a!;
const secret = fromHex(me.secretKey)!;
const signer = {
  address: me.address,
  signTransaction: (tx: Uint8Array, o: { readonly networkId: string }) => signTransaction(tx, o.networkId, secret),
};
const config: ClientConfig = {
  role,
  initiator: a!.address,
  responder: b!.address,
  networkId: 'ae_dev',
  initiatorAmount: amounts.initiatorAmount,
  responderAmount: amounts.responderAmount,
  pushAmount: amounts.pushAmount,
  channelReserve: amounts.channelReserve,
  lockPeriod: amounts.lockPeriod,
  maxFee: 10n ** 15n,
};
const store: ChannelStore = await fileStore(String(values.store));

const write = (line: ClientReport | ClientReply) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const codeOf = (e: unknown): number | null => (isAescError(e) ? e.code : null);
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let client: ChannelClient | undefined;
let generation = 0;

/** The connection, with its end reported to the harness (the client itself only fails its command). */
const watched = (connector: TransportConnector, gen: number): TransportConnector => (handlers, signal) =>
  connector(
    {
      ...handlers,
      onClose: (code, reason) => {
        handlers.onClose(code, reason);
        if (gen === generation) write({ event: 'disconnected' });
      },
    },
    signal,
  );

async function connect(url: string, clientConfig: ClientConfig): Promise<void> {
  client?.close();
  const gen = ++generation;
  const c = await connectChannel({ connect: watched(webSocketConnector(url), gen), config: clientConfig, signer, store });
  client = c;
  c.on((e) => {
    if (gen !== generation) return;
    switch (e.type) {
      case 'phase':
        write({ event: 'phase', phase: e.phase });
        return;
      case 'round':
        write({ event: 'round', round: e.round.toString(), tx: e.tx.tx.tag });
        return;
      case 'error':
        write({ event: 'error', code: e.error.code, message: e.error.message });
        return;
      case 'conflict':
        write({ event: 'conflict', round: e.round.toString(), code: e.code });
        return;
      case 'refused':
        write({ event: 'refused', tag: e.tag, code: e.error.code, message: e.error.message });
        return;
      case 'info':
        write({ event: 'info', name: e.event });
        return;
      default:
        return;
    }
  });
}

/** Opens the channel (the first run). */
async function open(): Promise<void> {
  const url = buildConnectUrl(nodeUrl, { protocol: 'json-rpc', role, host: '127.0.0.1', port: peerPort, ...openParams(a!.address, b!.address, amounts) });
  await connect(url, config);
}

/** Comes back as the channel README documents: store.load → resumeFrom → connectChannel. */
async function resume(): Promise<void> {
  const ids = await store.list();
  if (ids.length !== 1) throw new Error(`the store holds ${ids.length} channels, not 1`);
  const record = await store.load(ids[0] as ChannelId);
  if (record === undefined) throw new Error('the store lost its channel');
  const { resume: from, connectParams } = resumeFrom(record);
  const url = buildConnectUrl(nodeUrl, { protocol: 'json-rpc', role, host: '127.0.0.1', port: peerPort, ...connectParams });
  await connect(url, { ...config, resume: from });
}

function status(): ClientStatus {
  const s = client?.state();
  const last = s?.last;
  const balances = last === undefined ? null : ([a!.address, b!.address] as const).map((x: AccountAddress) => (balanceOf(last.state.trees, x) ?? 0n).toString());
  return {
    phase: s?.phase ?? 'none',
    channelId: s?.channelId ?? null,
    round: last === undefined ? null : last.state.round.toString(),
    balances: balances === null ? null : [balances[0]!, balances[1]!],
    busy: s?.round !== undefined || s?.command !== undefined,
  };
}

async function nodeView(c: ChannelClient): Promise<NodeView> {
  const state = (await c.offchainState()) as { signed_tx?: unknown };
  if (typeof state?.signed_tx !== 'string') throw new Error('the node reported no signed_tx');
  const tx = decodeTx(state.signed_tx).tx;
  const round = tx.tag === 'channel_create_tx' ? 1n : 'round' in tx ? (tx.round as bigint) : -1n;
  const reply = (await c.balances([a!.address, b!.address])) as readonly { account: string; balance: bigint | number | string }[];
  const of = (x: string) => String(reply.find((r) => r.account === x)?.balance ?? 'none');
  return { round: round.toString(), balances: [of(a!.address), of(b!.address)] };
}

async function run(line: string): Promise<void> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(line);
  } catch (e) {
    const err = e as CommandError;
    write({ id: err.id ?? -1, ok: false, code: codeOf(e), message: messageOf(e) });
    return;
  }
  const { id } = command;
  try {
    const c = () => {
      if (client === undefined) throw new Error('not connected');
      return client;
    };
    let value: unknown;
    switch (command.op) {
      case 'transfer':
        value = (await c().transfer(other.address, BigInt(command.amount))).toString();
        break;
      case 'deposit':
        value = (await c().deposit(BigInt(command.amount))).toString();
        break;
      case 'withdraw':
        value = (await c().withdraw(BigInt(command.amount))).toString();
        break;
      case 'status':
        value = status();
        break;
      case 'node-state':
        value = await nodeView(c());
        break;
      case 'resume':
        await resume();
        value = status();
        break;
    }
    write({ id, ok: true, value });
  } catch (e) {
    write({ id, ok: false, code: codeOf(e), message: messageOf(e) });
  }
}

const input = createInterface({ input: process.stdin });
input.on('line', (line) => void run(line));
input.on('close', () => {
  client?.close();
  process.exit(0);
});

if (values.resume) await resume();
else await open();
write({ event: 'ready' });
