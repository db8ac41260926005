import { decodeApi, encodeApi } from '@aesc/encoding';
import type { BlockSource } from './block-source.js';
import { parseJson } from './json.js';

/**
 * A {@link BlockSource} over the node's HTTP API (`/v3/key-blocks/height/{h}`,
 * `/v3/key-blocks/hash/{kh}`, `/v3/micro-blocks/hash/{mh}/header`). A key block is on the main
 * chain when it is the key block at its height; a micro block when the key block it follows is.
 */
export function httpBlocks(baseUrl: string, f: typeof fetch = fetch): BlockSource {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (path: string): Promise<Record<string, unknown> | undefined> => {
    const res = await f(`${base}${path}`);
    const text = await res.text();
    if (res.status !== 200) return undefined;
    return parseJson(text) as Record<string, unknown>;
  };
  const keyHashAt = async (height: bigint) => (await get(`/v3/key-blocks/height/${height}`))?.hash as string | undefined;
  return Object.freeze({
    async keyBlockHashAt(height: bigint) {
      const h = await keyHashAt(height);
      return h === undefined ? undefined : decodeApi(h as `kh_${string}`, 'kh');
    },
    async blockPlace(hash: Uint8Array) {
      const kh = encodeApi('kh', hash);
      const key = await get(`/v3/key-blocks/hash/${kh}`);
      if (key !== undefined) {
        const height = BigInt(key.height as number | bigint);
        return { height, inMainChain: (await keyHashAt(height)) === kh };
      }
      const micro = await get(`/v3/micro-blocks/hash/${encodeApi('mh', hash)}/header`);
      if (micro === undefined) return undefined;
      const height = BigInt(micro.height as number | bigint);
      return { height, inMainChain: (await keyHashAt(height)) === micro.prev_key_hash };
    },
  });
}
