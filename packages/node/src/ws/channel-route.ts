/**
 * How the æternity node's HTTP server (cowboy, whose router has the one route `/channel` on the
 * channel port) answers a request target: `200` when it is the endpoint, `404` when no route
 * matches, `400` when the path cannot be read. As cowboy_router splits it: the query goes, the
 * path must start with `/`, it splits at every `/` with a trailing slash dropped (`/channel/` is
 * the endpoint, `//channel` is not), and each segment is percent-decoded (`/chan%6Eel` is the
 * endpoint, `/channel%00` is not; a bad escape such as `/channel%zz` is 400).
 *
 * @example
 * ```ts
 * channelRoute('/channel?protocol=json-rpc'); // 200
 * channelRoute('/channel;x'); // 404
 * ```
 */
export function channelRoute(target: string | undefined, route = '/channel'): 200 | 400 | 404 {
  if (target === undefined) return 400;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const segments = splitPath(path);
  const expected = splitPath(route);
  if (segments === undefined || expected === undefined) return 400;
  if (segments.length !== expected.length) return 404;
  return segments.every((s, i) => s.equals(expected[i]!)) ? 200 : 404;
}

/** cowboy_router's `split_path/1`: the decoded segments, or undefined for a path it answers 400. */
function splitPath(path: string): Buffer[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const raw = path.slice(1).split('/');
  // "a/" ends with an empty segment that cowboy does not make; "" (the path "/") has none at all
  if (raw[raw.length - 1] === '') raw.pop();
  const out: Buffer[] = [];
  for (const segment of raw) {
    const decoded = percentDecode(segment);
    if (decoded === undefined) return undefined;
    out.push(decoded);
  }
  return out;
}

/**
 * `cow_uri:urldecode/1`: `%XX` to its byte, anything else as it is; a `%` without two hex digits is
 * an error. (Node hands the request target over byte for byte, one character a byte.)
 */
function percentDecode(segment: string): Buffer | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(segment)) return undefined;
  const parts = segment.split(/%([0-9a-fA-F]{2})/);
  // split with a capture group: text, hex, text, hex, …, text
  return Buffer.concat(parts.map((p, i) => (i % 2 === 1 ? Buffer.of(Number.parseInt(p, 16)) : Buffer.from(p, 'latin1'))));
}
