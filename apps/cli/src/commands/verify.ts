import { type SignatureReport, verifySignedTx } from '@aesc/crypto';
import { type AccountAddress, isEncoded } from '@aesc/encoding';
import { AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';
import { parseArgs } from 'node:util';
import { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, errorJson, errorLine } from '../errors.js';
import { type Io, nonEmptyLines } from '../io.js';
import { jsonStringify } from '../json.js';

export const VERIFY_HELP = `Usage: aesc verify --network-id <id> [--signer ak_…]… <tx_… | ->

Checks every signature of a signed transaction for a network id in both forms the node accepts:
over network_id ++ tx bytes ("raw") and over network_id ++ blake2b-256(tx bytes) ("hash").
Prints, per transaction, a JSON report: for each signature the account it verifies for and in
which form; "required", the accounts that must sign (those the transaction names as its signers,
by the node's rules, and every --signer); "missing", those that have not signed; and "hints" that
say what to look at when it is not valid. "valid" is true only when every signature verifies and
nobody required is missing. Deposit, withdraw, mutual close and off-chain transactions are signed
by both channel participants but name at most one: pass both with --signer.
With "-", reads one tx per line from standard input and prints one report per line.

Network ids: ae_mainnet and ae_uat (æternity's main and test networks), ae_dev (this project's dev
chain); the node's channel transcripts in the corpus were signed for local_iris_testnet (98 of
them) and local_lima_testnet (9).

Options:
  --network-id <id>   the network id the transaction was signed for (required)
  --signer <ak_…>     an account that must have signed (repeatable)

Exit status: 0 when valid, 1 when not, 2 for bad input.`;

/** Network ids a signature that verifies for nobody is tried with, to say which one it was made for. */
const KNOWN_NETWORKS = ['ae_mainnet', 'ae_uat', 'ae_dev', 'local_iris_testnet', 'local_lima_testnet', 'local_ceres_testnet'];

/** The report and, when it is not valid, what to look at. */
async function report(tx: string, networkId: string, signers: readonly AccountAddress[]): Promise<SignatureReport & { hints: string[] }> {
  const r = await verifySignedTx(tx, networkId, { expectedSigners: signers });
  const hints: string[] = [];
  if (r.signatures.length === 0) hints.push('the transaction carries no signature');
  const unknown = r.signatures.flatMap((s, i) => (s.signer === null ? [i] : []));
  if (unknown.length > 0) {
    const elsewhere = new Map<number, string>();
    for (const other of KNOWN_NETWORKS.filter((n) => n !== networkId)) {
      const again = await verifySignedTx(tx, other, { expectedSigners: signers });
      for (const i of unknown) {
        const signer = again.signatures[i]?.signer;
        if (signer != null && !elsewhere.has(i)) elsewhere.set(i, `signature ${i + 1} verifies for ${signer} with network id ${other}, not ${networkId}`);
      }
    }
    for (const i of unknown) {
      hints.push(
        elsewhere.get(i) ??
          `signature ${i + 1} verifies for none of the required accounts with network id ${networkId}, nor with ${KNOWN_NETWORKS.filter((n) => n !== networkId).join(', ')}: another signer (give it with --signer) or another network id`,
      );
    }
  }
  for (const m of r.missing) hints.push(`${m} must sign and has not`);
  if (r.participantsUnnamed) hints.push(`a ${r.tx} is signed by both channel participants and names at most one of them: give both with --signer`);
  return { ...r, hints };
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
