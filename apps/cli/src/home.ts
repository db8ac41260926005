import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  AESC_ERROR__CLI__ACCOUNT_EXISTS,
  AESC_ERROR__CLI__ACCOUNT_NOT_FOUND,
  AESC_ERROR__CLI__INPUT_NOT_READABLE,
  AESC_ERROR__CLI__NO_PASSWORD,
  AESC_ERROR__CLI__PASSWORD_MISMATCH,
  AESC_ERROR__CLI__PROMPT_CANCELED,
  AESC_ERROR__CLI__USAGE,
  AescError,
} from '@aesc/errors';
import { type AccountAddress, decodeApi } from '@aesc/encoding';
import type { Keystore } from '@aesc/wallet';
import { PromptCanceled } from './secret-prompt.js';

/**
 * Where the CLI keeps what it owns: `--home`, else `$AESC_HOME`, else `~/.aesc`. Keystores live in
 * `accounts/<name>.json`, channel sessions in `channels/<session>/`.
 */
export function homeDir(option: unknown, env: Readonly<Record<string, string | undefined>>): string {
  if (typeof option === 'string' && option !== '') return option;
  return env.AESC_HOME ?? join(homedir(), '.aesc');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks an account or session name (it becomes a file name). */
export function checkName(name: string | undefined, what: string): string {
  if (name === undefined || !NAME.test(name)) {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${what} name is letters, digits, "_", "." and "-" (up to 64), not "${name ?? ''}"` });
  }
  return name;
}

export const accountFile = (home: string, name: string) => join(home, 'accounts', `${name}.json`);
export const sessionDir = (home: string, session: string) => join(home, 'channels', session);

/** Writes a keystore for a new account; never overwrites one. The file is readable by its owner only. */
export async function saveKeystore(home: string, name: string, keystore: Keystore): Promise<string> {
  await mkdir(join(home, 'accounts'), { recursive: true, mode: 0o700 });
  const file = accountFile(home, name);
  try {
    await writeFile(file, `${JSON.stringify(keystore, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new AescError(AESC_ERROR__CLI__ACCOUNT_EXISTS, { name });
    throw e;
  }
  return file;
}

/** The keystore of an account (parsed JSON; the wallet checks its shape when decrypting). */
export async function loadKeystore(home: string, name: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(accountFile(home, name), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AescError(AESC_ERROR__CLI__ACCOUNT_NOT_FOUND, { name });
    throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: accountFile(home, name), reason: (e as Error).message });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: accountFile(home, name), reason: (e as Error).message });
  }
}

/**
 * An account named in the home directory, or an `ak_` address as it is (its checksum checked: a
 * coded error otherwise); `missing` is the error when nothing was given.
 */
export async function resolveAccount(
  home: string,
  who: string | undefined,
  missing: () => AescError,
): Promise<{ readonly name?: string; readonly address: AccountAddress }> {
  if (who === undefined) throw missing();
  if (who.startsWith('ak_')) {
    decodeApi(who, 'ak');
    return { address: who as AccountAddress };
  }
  const keystore = await loadKeystore(home, checkName(who, 'account'));
  return { name: who, address: keystore.public_key as AccountAddress };
}

/** The accounts in the home directory: name and address, sorted by name. */
export async function listAccounts(home: string): Promise<{ name: string; address: string }[]> {
  let files: string[];
  try {
    files = await readdir(join(home, 'accounts'));
  } catch {
    return [];
  }
  const out: { name: string; address: string }[] = [];
  for (const f of files.filter((x) => x.endsWith('.json')).sort()) {
    const name = f.slice(0, -'.json'.length);
    const ks = await loadKeystore(home, name).catch(() => undefined);
    if (typeof ks?.public_key === 'string') out.push({ name, address: ks.public_key });
  }
  return out;
}

/**
 * The password of an account's keystore: the first line of `--password-file`, else
 * `$AESC_PASSWORD`, else (on a terminal) typed at a prompt without echo, twice when `confirm` (a
 * new keystore). It never goes into output, logs or errors.
 */
export async function password(
  name: string,
  passwordFile: unknown,
  env: Readonly<Record<string, string | undefined>>,
  prompt?: (question: string) => Promise<string>,
  confirm = false,
): Promise<string> {
  if (typeof passwordFile === 'string') {
    try {
      return (await readFile(passwordFile, 'utf8')).split(/\r?\n/)[0] ?? '';
    } catch (e) {
      throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: passwordFile, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    }
  }
  const fromEnv = env.AESC_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (prompt === undefined) throw new AescError(AESC_ERROR__CLI__NO_PASSWORD, { name });
  try {
    const typed = await prompt(confirm ? `New password for account "${name}": ` : `Password for account "${name}": `);
    if (typed === '') throw new AescError(AESC_ERROR__CLI__NO_PASSWORD, { name });
    if (confirm && (await prompt('Type it again: ')) !== typed) throw new AescError(AESC_ERROR__CLI__PASSWORD_MISMATCH, { name });
    return typed;
  } catch (e) {
    if (e instanceof PromptCanceled) {
      throw new AescError(AESC_ERROR__CLI__PROMPT_CANCELED, { name, reason: e.reason === 'canceled' ? 'canceled' : 'closed before a line' });
    }
    throw e;
  }
}
