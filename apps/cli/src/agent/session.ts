import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountAddress, ChannelId } from '@aesc/encoding';
import { AESC_ERROR__CLI__NO_CHANNEL, AESC_ERROR__CLI__INPUT_NOT_READABLE, AescError } from '@aesc/errors';

/**
 * What a channel session keeps beside its store (`session.json`): whose it is, where the node is,
 * and the channel's opening parameters — what `aesc channel reestablish` needs to come back.
 * Amounts are decimal strings (aettos). No secret is kept here.
 */
export interface Session {
  readonly version: 1;
  readonly account: string;
  readonly address: AccountAddress;
  readonly role: 'initiator' | 'responder';
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly nodeUrl: string;
  readonly chainUrl: string;
  readonly networkId: string;
  readonly host: string;
  readonly port: number;
  readonly initiatorAmount: string;
  readonly responderAmount: string;
  readonly pushAmount: string;
  readonly channelReserve: string;
  readonly lockPeriod: string;
  /** What the agent signs of the peer's proposals (default `safe`: no transfer out of this account). */
  readonly accept?: 'safe' | 'all';
  /** Whether the agent slashes a stale solo close of the peer and settles, unasked (default true). */
  readonly autoSlash?: boolean;
  /** Extra connect parameters as given (minimum depth, timeouts, …). */
  readonly connectParams: Readonly<Record<string, string>>;
  readonly channelId?: ChannelId;
}

export const sessionPaths = (dir: string) => ({
  file: join(dir, 'session.json'),
  store: join(dir, 'store'),
  socket: join(dir, 'agent.sock'),
});

/** Writes the session file crash-safely (temporary file, then rename). */
export async function saveSession(dir: string, session: Session): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { file } = sessionPaths(dir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** The session in a directory; a coded error when there is none. */
export async function loadSession(dir: string, name: string): Promise<Session> {
  let text: string;
  try {
    text = await readFile(sessionPaths(dir).file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AescError(AESC_ERROR__CLI__NO_CHANNEL, { session: name });
    throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: sessionPaths(dir).file, reason: (e as Error).message });
  }
  try {
    return JSON.parse(text) as Session;
  } catch (e) {
    throw new AescError(AESC_ERROR__CLI__INPUT_NOT_READABLE, { source: sessionPaths(dir).file, reason: (e as Error).message });
  }
}
