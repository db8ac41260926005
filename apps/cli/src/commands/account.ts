import { readFile } from 'node:fs/promises';
import { devAccounts, signedSpendTx } from '@aesc/chain';
import { accountAddress, generateKeyPair, keyPairFromSecretKey } from '@aesc/crypto';
import { fromHex } from '@aesc/encoding';
import { AESC_ERROR__CLI__INPUT_NOT_READABLE, AESC_ERROR__CLI__UNREACHABLE, AescError } from '@aesc/errors';
import { type Keystore, decryptKeystore, encryptKeystore } from '@aesc/wallet';
import { formatAe, parseAmount } from '../amount.js';
import { chainUrl, withChain } from '../chain-http.js';
import { EXIT_OK } from '../errors.js';
import { type Options, parseOptions, usageOf } from '../options.js';
import { checkName, homeDir, listAccounts, password, resolveAccount, saveKeystore } from '../home.js';
import type { Io } from '../io.js';
import { jsonStringify } from '../json.js';

export const ACCOUNT_HELP = `Usage: aesc account <new | import | list | balance | fund> [options]

  aesc account new <name> [--password-file F]
      Makes a key and keeps it in an æternity keystore file (argon2id + xsalsa20-poly1305, as
      æternity's own tools write it) under the home directory.
  aesc account import <name> (--keystore F | --secret-key-file F) [--password-file F]
      Takes in a keystore file written by æternity's tools (checked by opening it with the
      password) or a secret key (hex, 32 or 64 bytes; the file's first line), kept encrypted.
  aesc account list
      The accounts: name and address.
  aesc account balance <name | ak_…> [--chain URL]
      The account's balance and nonce on chain (0 for an account the chain has not seen).
  aesc account fund <name | ak_…> <amount> [--chain URL] [--dev-account N]
      On a dev chain (aesc node start, aesc chain start): sends amount from dev account N
      (default 9, see "aesc chain accounts") and waits until it is mined.

Options for all:
  --home D            where accounts and channel sessions live (default $AESC_HOME or ~/.aesc)
  --json              machine-readable output (amounts in aettos as decimal strings)
  --password-file F   the keystore password is the file's first line; else $AESC_PASSWORD; else,
                      on a terminal, it is asked for (not echoed; twice for a new keystore)
  --chain URL         the node's HTTP API (default $AESC_NODE, else http://127.0.0.1:3013)
Amounts are aettos (5000) or AE with the suffix (1.5ae).`;

const usage = usageOf('account');

const OPTIONS: Options = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  'password-file': { type: 'string' },
  keystore: { type: 'string' },
  'secret-key-file': { type: 'string' },
  chain: { type: 'string' },
  'dev-account': { type: 'string' },
};

const parse = (args: readonly string[]) => parseOptions(args, OPTIONS, usage);

async function readSecretKey(file: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).split(/\r?\n/)[0]?.trim() ?? '';
  } catch (e) {
    throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: file, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
  const key = fromHex(text.replace(/^0x/, ''));
  // Never echo the file's content: it is a secret.
  if (key === undefined || (key.length !== 32 && key.length !== 64)) throw usage(`${file} does not hold a secret key (hex, 32 or 64 bytes)`);
  return key;
}

/** `aesc account new|import|list|balance|fund` */
export async function accountCommand(args: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest);
  const env = io.env ?? {};
  const home = homeDir(values.home, env);
  const json = values.json === true;
  const expect = (n: number) => {
    if (positionals.length !== n) throw usage(`aesc account ${sub} takes ${n} argument(s)`);
  };

  switch (sub) {
    case 'new': {
      expect(1);
      const name = checkName(positionals[0], 'account');
      const pw = await password(name, values['password-file'], env, io.promptSecret, true);
      const keys = await generateKeyPair();
      const file = await saveKeystore(home, name, await encryptKeystore(keys.secretKey, pw, { name }));
      const address = accountAddress(keys.publicKey);
      io.out(json ? jsonStringify({ name, address, file }) : `${name} ${address} (keystore ${file})`);
      return EXIT_OK;
    }
    case 'import': {
      expect(1);
      const name = checkName(positionals[0], 'account');
      // A keystore's password opens it; a secret key gets a new one, typed twice.
      const pw = await password(name, values['password-file'], env, io.promptSecret, typeof values.keystore !== 'string');
      let keystore: Keystore;
      if (typeof values.keystore === 'string') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readFile(values.keystore, 'utf8'));
        } catch (e) {
          throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: values.keystore, reason: (e as Error).message });
        }
        const secret = await decryptKeystore(parsed, pw); // wrong password: the wallet's coded error
        keystore = { ...(parsed as Keystore), public_key: accountAddress((await keyPairFromSecretKey(secret)).publicKey), name };
      } else if (typeof values['secret-key-file'] === 'string') {
        keystore = await encryptKeystore(await readSecretKey(values['secret-key-file']), pw, { name });
      } else {
        throw usage('aesc account import takes --keystore F or --secret-key-file F');
      }
      const file = await saveKeystore(home, name, keystore);
      io.out(json ? jsonStringify({ name, address: keystore.public_key, file }) : `${name} ${keystore.public_key} (keystore ${file})`);
      return EXIT_OK;
    }
    case 'list': {
      expect(0);
      const accounts = await listAccounts(home);
      if (json) io.out(jsonStringify(accounts));
      else if (accounts.length === 0) io.out(`no accounts in ${home} (make one with "aesc account new <name>")`);
      else for (const a of accounts) io.out(`${a.name.padEnd(16)} ${a.address}`);
      return EXIT_OK;
    }
    case 'balance': {
      expect(1);
      const who = await resolveAccount(home, positionals[0], () => usage('name the account (or give its ak_ address)'));
      const account = await withChain(chainUrl(values.chain, env), (c) => c.account(who.address));
      const balance = account?.balance ?? 0n;
      const nonce = account?.nonce ?? 0n;
      if (json) io.out(jsonStringify({ ...(who.name === undefined ? {} : { name: who.name }), address: who.address, balance: balance.toString(), nonce: nonce.toString() }));
      else io.out(`${who.name ?? who.address}: ${formatAe(balance)} (nonce ${nonce})`);
      return EXIT_OK;
    }
    case 'fund': {
      expect(2);
      const who = await resolveAccount(home, positionals[0], () => usage('name the account (or give its ak_ address)'));
      const amount = parseAmount(positionals[1] as string, 'the amount');
      const index = values['dev-account'] === undefined ? 9 : Number(values['dev-account']);
      if (!Number.isInteger(index) || index < 0 || index > 99) throw usage('--dev-account takes 0–99');
      const dev = (await devAccounts(index + 1))[index]!;
      const url = chainUrl(values.chain, env);
      const result = await withChain(url, async (chain) => {
        const { networkId } = await chain.info();
        const tx = await signedSpendTx({
          sender: dev.address,
          recipient: who.address,
          amount,
          nonce: await chain.nextNonce(dev.address),
          networkId,
          secretKey: fromHex(dev.secretKey)!,
        });
        const hash = await chain.postTx(tx);
        io.progress?.(`waiting for ${hash} to be mined`);
        for (let i = 0; (await chain.txDepth(hash)) === null; i++) {
          if (i > 600) throw new AescError(AESC_ERROR__CLI__UNREACHABLE, { url, reason: `${hash} was not mined within a minute` });
          await new Promise((r) => setTimeout(r, 100));
        }
        io.progress?.(undefined);
        return { hash, balance: (await chain.account(who.address))?.balance ?? 0n };
      });
      if (json) io.out(jsonStringify({ address: who.address, amount: amount.toString(), txHash: result.hash, balance: result.balance.toString() }));
      else io.out(`sent ${formatAe(amount)} to ${who.name ?? who.address} (${result.hash}); balance ${formatAe(result.balance)}`);
      return EXIT_OK;
    }
    default:
      throw usage(sub === undefined ? 'aesc account takes a subcommand' : `unknown subcommand "${sub}"`);
  }
}
