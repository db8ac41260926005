import { AESC_ERROR__CLI__UNREACHABLE, AescError } from '@aesc/errors';
import { type ChainAdapter, httpAdapter } from '@aesc/chain';

/** The node's HTTP API (`/v3`) by default: where `aesc node start` serves it. */
export const DEFAULT_CHAIN_URL = 'http://127.0.0.1:3013';

/** The chain URL of an option, or the default. */
export function chainUrl(option: unknown): string {
  return typeof option === 'string' && option !== '' ? option.replace(/\/+$/, '') : DEFAULT_CHAIN_URL;
}

/**
 * Runs `work` on an HTTP chain adapter; a connection failure becomes one coded error that names
 * the URL (the user's most likely mistake is a node that is not running).
 */
export async function withChain<T>(url: string, work: (chain: ChainAdapter) => Promise<T>): Promise<T> {
  const chain = httpAdapter(url, { pollMs: 250 });
  try {
    return await work(chain);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if (e instanceof TypeError && (cause?.code === 'ECONNREFUSED' || e.message === 'fetch failed')) {
      throw new AescError(AESC_ERROR__CLI__UNREACHABLE, { url, reason: cause?.code ?? e.message });
    }
    throw e;
  } finally {
    await chain.close();
  }
}
