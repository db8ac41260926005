import { AESC_ERROR__CLI__UNREACHABLE, AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';
import { type ChainAdapter, httpAdapter } from '@aesc/chain-api';

/** The node's HTTP API (`/v3`) by default: where `aesc node start` serves it. */
export const DEFAULT_CHAIN_URL = 'http://127.0.0.1:3013';

type Env = Readonly<Record<string, string | undefined>>;

/** An http:// or https:// URL without a trailing slash; a usage error (code 10000) otherwise. */
export function httpUrl(value: string, what: string): string {
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    u = undefined;
  }
  if (u === undefined || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${what} takes an http:// or https:// URL, not "${value}"` });
  }
  return value.replace(/\/+$/, '');
}

/**
 * The node every command talks to unless told otherwise: `$AESC_NODE` (its `http://host:port`,
 * where `aesc node start` serves both `/v3` and `/channel`), else http://127.0.0.1:3013.
 */
export function defaultNode(env: Env = {}): string {
  const fromEnv = env.AESC_NODE;
  return fromEnv !== undefined && fromEnv !== '' ? httpUrl(fromEnv, 'AESC_NODE') : DEFAULT_CHAIN_URL;
}

/** The node's `/channel` WebSocket endpoint next to its HTTP API. */
export function channelEndpointOf(httpUrl: string): string {
  return `${httpUrl.replace(/^http(s?):/, 'ws$1:')}/channel`;
}

/** The chain URL of an option, or the default node. */
export function chainUrl(option: unknown, env: Env = {}, what = '--chain'): string {
  return typeof option === 'string' && option !== '' ? httpUrl(option, what) : defaultNode(env);
}

/**
 * A connection failure (nothing listens, no such host, a reset) as one coded error that names
 * the URL — the user's most likely mistake is a node that is not running; other errors as they are.
 */
export function unreachable(url: string, e: unknown): unknown {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (e instanceof TypeError && (cause?.code !== undefined || e.message === 'fetch failed')) {
    // the system's code (ECONNREFUSED, ENOTFOUND), else fetch's reason ("bad port")
    return new AescError(AESC_ERROR__CLI__UNREACHABLE, { url, reason: cause?.code ?? cause?.message ?? e.message });
  }
  return e;
}

/** Runs `work` on an HTTP chain adapter; a connection failure becomes {@link unreachable}'s error. */
export async function withChain<T>(url: string, work: (chain: ChainAdapter) => Promise<T>): Promise<T> {
  const chain = httpAdapter(url, { pollMs: 250 });
  try {
    return await work(chain);
  } catch (e) {
    throw unreachable(url, e);
  } finally {
    await chain.close();
  }
}
