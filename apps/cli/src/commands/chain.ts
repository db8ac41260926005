import { devAccounts, emitKeyBlocksViaHttp, startChain } from '@aesc/chain';
import { chainUrl, unreachable } from '../chain-http.js';
import { plain } from '../colors.js';
import { EXIT_OK } from '../errors.js';
import { type Options, intOption as intOptionOf, parseOptions, portOption, usageOf } from '../options.js';
import { devAccountLines } from './dev-accounts.js';
import type { Io } from '../io.js';
import { jsonStringify } from '../json.js';

export const CHAIN_HELP = `Usage: aesc chain <start | accounts | emit> [options]

  aesc chain start [--data-dir D] [--port P] [--network-id N] [--protocol iris|ceres] [--genesis F]
                   [--block-interval MS]
      Runs the embedded dev chain with the node's HTTP API (/v3) in the foreground until Ctrl-C.
      Without --data-dir the chain lives in memory; with it, it survives restarts. Without
      --genesis the dev accounts ("aesc chain accounts") are funded. Blocks are made as soon as a
      tx arrives, or every --block-interval milliseconds.
  aesc chain accounts [--count N] [--json]
      Prints the dev accounts with their public and secret keys (for development only).
      Without --genesis it prints the funded dev accounts with their keys (dev keys, the same for
      everyone: never for a real network).
  aesc chain emit <n> [--url U] [--json]
      Makes n key blocks on a running chain or node (default $AESC_NODE, else
      http://127.0.0.1:3013) through its dev-mode GET /emit_kb, which an æternity node with its
      dev-mode plugin serves too (give its port).
--port takes 0–65535 (0 picks a free port); a port in use is refused with error 8040.`;

const usage = usageOf('chain');

const parse = (args: readonly string[], options: Options) => parseOptions(args, options, usage);

const intOption = (value: unknown, name: string) => intOptionOf(value, name, usage);

/** `aesc chain start|accounts|emit` */
export async function chainCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'accounts') {
    const { values } = parse(rest, { count: { type: 'string' }, json: { type: 'boolean' } });
    const accounts = await devAccounts(intOption(values.count, 'count') ?? 10);
    if (values.json) io.out(jsonStringify(accounts.map((a) => ({ ...a, balance: a.balance.toString() })), 2));
    else for (const a of accounts) io.out(`${a.address}  ${a.secretKey}  ${a.balance} aettos`);
    return EXIT_OK;
  }
  if (sub === 'emit') {
    const { values, positionals } = parse(rest, { url: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw usage('aesc chain emit takes the number of key blocks, e.g. "aesc chain emit 10"');
    const count = positionals[0]!;
    const n = /^\d+$/.test(count) ? Number(count) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw usage(`the number of key blocks is a whole number from 1, not "${count}"`);
    const url = chainUrl(values.url, io.env, '--url');
    let top: { height: bigint; hash: string };
    try {
      top = await emitKeyBlocksViaHttp(url, n);
    } catch (e) {
      throw unreachable(url, e);
    }
    io.out(values.json ? jsonStringify({ emitted: n, height: top.height.toString(), hash: top.hash }) : `emitted ${n} key block(s); height ${top.height}, ${top.hash}`);
    return EXIT_OK;
  }
  if (sub === 'start') {
    const { values, positionals } = parse(rest, {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'network-id': { type: 'string' },
      protocol: { type: 'string' },
      genesis: { type: 'string' },
      'block-interval': { type: 'string' },
    });
    if (positionals.length > 0) throw usage(`unexpected argument ${positionals[0]}`);
    const protocol = values.protocol ?? 'ceres';
    if (protocol !== 'iris' && protocol !== 'ceres') throw usage('--protocol is iris or ceres');
    const port = portOption(values.port, 'port', usage);
    const interval = intOption(values['block-interval'], 'block-interval');
    const handle = await startChain({
      ...(values['data-dir'] === undefined ? {} : { dataDir: String(values['data-dir']) }),
      ...(port === undefined ? {} : { port }),
      ...(values['network-id'] === undefined ? {} : { networkId: String(values['network-id']) }),
      protocol,
      ...(values.genesis === undefined ? {} : { genesis: String(values.genesis) }),
      ...(interval === undefined ? {} : { blockIntervalMs: interval }),
    });
    const paint = io.paint ?? plain;
    io.out(`aesc dev chain (${protocol}, network id ${values['network-id'] ?? 'ae_dev'}) listening on ${paint('bold', handle.url)}`);
    io.out(values['data-dir'] === undefined ? 'data: in memory' : `data: ${values['data-dir']}`);
    io.out(`genesis: ${handle.chain.keyBlockAt(0n)!.hash}; leader (mines key blocks, signs micro blocks): ${(await handle.chain.leader()).address}`);
    if (values.genesis === undefined) for (const line of await devAccountLines(paint)) io.out(line);
    io.out('press Ctrl-C to stop');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      signal?.addEventListener('abort', stop, { once: true });
    });
    await handle.close();
    io.out('stopped');
    return EXIT_OK;
  }
  throw usage(sub === undefined ? 'aesc chain needs a subcommand' : `unknown subcommand "${sub}"`);
}
