import { AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';
import { ACCOUNT_HELP, accountCommand } from './commands/account.js';
import { CHAIN_HELP, chainCommand } from './commands/chain.js';
import { CHANNEL_HELP, channelCommand } from './commands/channel.js';
import { DEMO_HELP, demoCommand } from './commands/demo.js';
import { ENCODE_HELP, encodeCommand } from './commands/encode.js';
import { INSPECT_HELP, inspectCommand } from './commands/inspect.js';
import { NODE_HELP, nodeCommand } from './commands/node.js';
import { VERIFY_HELP, verifyCommand } from './commands/verify.js';
import { EXIT_BAD_INPUT, EXIT_OK, errorJson, errorLine, exitCodeOf } from './errors.js';
import type { Io } from './io.js';
import { jsonStringify } from './json.js';

const VERSION = '0.1.0';

export const MAIN_HELP = `aesc ${VERSION} — tools for æternity state channels

Usage: aesc <command> [arguments]

Commands:
  inspect <encoded|->   decode an API-encoded value (tx_, pi_, ss_, ak_, …) to JSON
  encode <file|->       encode the JSON that inspect prints back to the API-encoded value
  verify --network-id <id> [--signer ak_…]… <tx_…|->
                        check every signature of a signed transaction
  chain start|accounts|emit
                        run the embedded dev chain (the node's HTTP API), list its dev accounts,
                        emit key blocks
  node start            run the channel node (/channel WebSocket JSON-RPC) on the embedded chain
  account new|import|list|balance|fund
                        keystore accounts, their balances on chain, dev-chain funding
  channel open|transfer|deposit|withdraw|message|balances|close|close-solo|settle|slash|
          snapshot|leave|reestablish|status
                        a channel against any channel node: a foreground agent per party and
                        commands that talk to it
  demo [--keep]         the node and a two-party channel session, with a timeline

Run "aesc <command> --help" for a command's options.
With --json, output and errors are JSON: an error is {"error":{"code":N,"message":"…"}}.
Exit status: 0 success, 1 a check failed or the channel refused, 2 bad input or usage (a port in
use too), 3 a node, chain or channel agent could not be reached.
Environment: AESC_NODE the node's http://host:port for every command (default
http://127.0.0.1:3013), AESC_HOME (default ~/.aesc), AESC_PASSWORD, NO_COLOR.`;

interface Command {
  readonly help: string;
  /** How many positional arguments it takes. */
  readonly positionals: number;
  readonly run: (args: readonly string[], io: Io) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  inspect: { help: INSPECT_HELP, positionals: 1, run: inspectCommand },
  encode: { help: ENCODE_HELP, positionals: 1, run: encodeCommand },
  verify: { help: VERIFY_HELP, positionals: -1, run: verifyCommand },
  chain: { help: CHAIN_HELP, positionals: -1, run: chainCommand },
  node: { help: NODE_HELP, positionals: -1, run: nodeCommand },
  demo: { help: DEMO_HELP, positionals: -1, run: demoCommand },
  account: { help: ACCOUNT_HELP, positionals: -1, run: accountCommand },
  channel: { help: CHANNEL_HELP, positionals: -1, run: channelCommand },
};

function usage(reason: string): AescError {
  return new AescError(AESC_ERROR__CLI__USAGE, { reason });
}

/** Runs the CLI with the given arguments; returns the exit status. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(MAIN_HELP);
    return name === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw usage(`unknown command "${name}" (see "aesc --help")`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.help);
      return EXIT_OK;
    }
    if (command.positionals >= 0) {
      const unknown = rest.find((a) => a.startsWith('-') && a !== '-');
      if (unknown !== undefined) throw usage(`unknown option ${unknown} (see "aesc ${name} --help")`);
      if (rest.length !== command.positionals) {
        throw usage(`aesc ${name} takes ${command.positionals} argument(s) (see "aesc ${name} --help")`);
      }
    }
    return await command.run(rest, io);
  } catch (e) {
    // With --json the error is one JSON object on standard output, where the result would be.
    if (rest.includes('--json')) io.out(jsonStringify(errorJson(e)));
    else io.err(errorLine(e, io.paintErr));
    return exitCodeOf(e);
  }
}
