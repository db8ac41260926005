import { type SignatureReport, verifySignedTx } from '@aesc/crypto';
import { type AccountAddress, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';
import { parseArgs } from 'node:util';
import { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, errorJson, errorLine } from '../errors.js';
import { type Io, nonEmptyLines } from '../io.js';
import { jsonStringify } from '../json.js';

export const VERIFY_HELP = `Usage: aesc verify --network-id <id> [--signer ak_…]… <tx_… | ->

Checks every signature of a signed transaction for a network id (e.g. ae_mainnet, ae_uat,
local_iris_testnet) in both forms the node accepts: over network_id ++ tx bytes ("raw") and over
network_id ++ blake2b-256(tx bytes) ("hash"). Prints, per transaction, a JSON report: for each
signature the account it verifies for and in which form, and the expected signers that have not
signed. Candidate signers are the accounts named in the transaction plus every --signer; off-chain
transactions name no accounts, so pass the participants with --signer.
With "-", reads one tx per line from standard input and prints one report per line.

Options:
  --network-id <id>   the network id the transaction was signed for (required)
  --signer <ak_…>     an account that must have signed (repeatable)

Exit status: 0 when every signature verifies and every --signer signed, 1 when one does not,
2 for bad input.`;

function report(tx: string, networkId: string, signers: readonly AccountAddress[]): Promise<SignatureReport> {
  return verifySignedTx(tx, networkId, { expectedSigners: signers });
}

/** `aesc verify --network-id <id> [--signer ak_…]… <tx_…|->` */
export async function verifyCommand(args: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (cause) {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${(cause as Error).message} (see "aesc verify --help")` });
  }
  const { values, positionals } = parsed;
  const networkId = values['network-id'];
  if (networkId === undefined || networkId === '') {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: 'aesc verify needs --network-id <id> (see "aesc verify --help")' });
  }
  if (positionals.length !== 1) {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: 'aesc verify takes one tx_… or "-" (see "aesc verify --help")' });
  }
  const signers = values.signer ?? [];
  for (const s of signers) {
    if (!isEncoded(s, 'ak')) throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `--signer ${s} is not a valid ak_ account` });
  }
  const input = positionals[0]!;
  if (input !== '-') {
    const r = await report(input, networkId, signers as AccountAddress[]);
    io.out(jsonStringify(r, 2));
    return r.valid ? EXIT_OK : EXIT_CHECK_FAILED;
  }
  let status = EXIT_OK;
  for (const { line, text } of nonEmptyLines(await io.readStdin())) {
    try {
      const r = await report(text, networkId, signers as AccountAddress[]);
      io.out(jsonStringify(r));
      if (!r.valid && status === EXIT_OK) status = EXIT_CHECK_FAILED;
    } catch (e) {
      io.out(jsonStringify(errorJson(e)));
      io.err(`line ${line}: ${errorLine(e)}`);
      status = EXIT_BAD_INPUT;
    }
  }
  return status;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: { 'network-id': { type: 'string' }, signer: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
}
