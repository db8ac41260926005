import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from '@aesc/devnet';
import { startNode, tcpPeerTransport } from '@aesc/node';
import { plain } from '../colors.js';
import { EXIT_OK } from '../errors.js';
import { type Options, intOption as intOptionOf, parseOptions, portOption, usageOf } from '../options.js';
import { devAccountLines } from './dev-accounts.js';
import type { Io } from '../io.js';

export const NODE_HELP = `Usage: aesc node start [options]

  aesc node start [--data-dir D] [--port P] [--network-id N] [--protocol iris|ceres] [--genesis F]
                  [--chain URL] [--block-interval MS] [--app | --app-dir D] [--peers]
      Runs the channel node in the foreground until Ctrl-C: the /channel WebSocket JSON-RPC
      endpoint (as the æternity node serves it) on port P (default 3013), on the embedded dev
      chain, whose HTTP API (/v3) it serves on the same port — or, with --chain, on the chain at
      URL through its HTTP API. Without --genesis the dev accounts of "aesc chain accounts" are
      funded. With --data-dir the chain and the channels' co-signed states survive restarts.
      --app serves the client app (apps/client, built) at / on the same port; --app-dir another
      built web app. --peers lets this node's channels reach participants on other nodes (and be
      reached by them) over the node's peer protocol: TCP with Noise NN, the responder listening
      on the port of its connect parameters.
      On the embedded chain without --genesis it prints the funded dev accounts with their keys
      (dev keys, the same for everyone: never for a real network). --port takes 0–65535 (0 picks a
      free port); a port in use is refused with error 8040.`;

const usage = usageOf('node');

const parse = (args: readonly string[], options: Options) => parseOptions(args, options, usage);

const intOption = (value: unknown, name: string) => intOptionOf(value, name, usage);

/** `aesc node start` */
export async function nodeCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'start') throw usage(sub === undefined ? 'aesc node needs a subcommand' : `unknown subcommand "${sub}"`);
  const { values, positionals } = parse(rest, {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'network-id': { type: 'string' },
    protocol: { type: 'string' },
    genesis: { type: 'string' },
    chain: { type: 'string' },
    'block-interval': { type: 'string' },
    app: { type: 'boolean' },
    peers: { type: 'boolean' },
    'app-dir': { type: 'string' },
  });
  if (positionals.length > 0) throw usage(`unexpected argument ${positionals[0]}`);
  const protocol = values.protocol ?? 'ceres';
  if (protocol !== 'iris' && protocol !== 'ceres') throw usage('--protocol is iris or ceres');
  if (values.chain !== undefined && (values.genesis !== undefined || values['network-id'] !== undefined)) {
    throw usage('--chain uses a running chain: --genesis and --network-id do not apply');
  }
  const port = portOption(values.port, 'port', usage);
  const appDir = values['app-dir'] !== undefined ? String(values['app-dir']) : values.app ? fileURLToPath(new URL('../../../client/dist', import.meta.url)) : undefined;
  if (appDir !== undefined && !existsSync(join(appDir, 'index.html'))) throw usage(`no built app in ${appDir} (build it: npx -y pnpm@10.34.9 -C apps/client build)`);
  if (appDir !== undefined && values.chain !== undefined) throw usage('--app needs the embedded chain (its HTTP server serves the app)');
  const interval = intOption(values['block-interval'], 'block-interval');
  const common = {
    ...(values['data-dir'] === undefined ? {} : { dataDir: String(values['data-dir']) }),
    ...(port === undefined ? {} : { port }),
    ...(values.peers ? { peerTransport: tcpPeerTransport() } : {}),
  };
  const node =
    values.chain === undefined
      ? await startDevnet({
          ...common,
          ...(values['network-id'] === undefined ? {} : { networkId: String(values['network-id']) }),
          protocol,
          ...(values.genesis === undefined ? {} : { genesis: String(values.genesis) }),
          ...(interval === undefined ? {} : { blockIntervalMs: interval }),
          ...(appDir === undefined ? {} : { appDir }),
        })
      : await startNode({ ...common, chainUrl: String(values.chain) });
  const info = node.node.chainInfo;
  const paint = io.paint ?? plain;
  io.out(`aesc channel node listening on ${paint('bold', node.channelUrl)}`);
  io.out(values.chain === undefined ? `chain: embedded (${protocol}, network id ${info.networkId}), HTTP API on ${node.url}/v3` : `chain: ${values.chain} (network id ${info.networkId})`);
  io.out(values['data-dir'] === undefined ? 'data: in memory' : `data: ${values['data-dir']}`);
  if (values.chain === undefined) {
    io.out(
      interval === undefined
        ? 'blocks: a micro block as each tx arrives; key blocks only when asked ("aesc chain emit N"), so channels wait at their minimum depth until then (or start with --block-interval MS)'
        : `blocks: every ${interval} ms a micro block of the pending txs and a key block`,
    );
  }
  if (appDir !== undefined) io.out(`client app: ${node.url}/`);
  if (values.peers) io.out('peers: TCP with Noise NN, responders listen on their connect port');
  if (values.chain === undefined && values.genesis === undefined) for (const line of await devAccountLines(paint)) io.out(line);
  io.out('press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await node.close();
  io.out('stopped');
  return EXIT_OK;
}
