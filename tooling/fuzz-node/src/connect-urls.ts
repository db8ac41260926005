import { loadTranscripts } from '@aesc/corpus';
import type { Rng } from '@aesc/test-support';

/** The queries of the corpus's connect URLs (293 of them), as param lists. */
export function corpusQueries(): [string, string][][] {
  const out: [string, string][][] = [];
  for (const t of loadTranscripts()) {
    for (const s of t.steps) {
      if (s.kind === 'connect' && typeof s.url === 'string') out.push([...new URL(s.url).searchParams.entries()]);
    }
  }
  return out;
}

/** Values a connect param should not hold: numbers of every size and sign, floats, other types, junk. */
const BAD_VALUES = [
  '', ' ', '-1', '0', '1.5', '1E2', '-0', `1${'0'.repeat(400)}`, `-1${'0'.repeat(400)}`, '18446744073709551616', '9007199254740993', '65536', '4294967296',
  'true', 'false', 'null', 'any', 'x', '%00', '\u0000', '\u00ff', '%zz', 'initiator', 'responder', 'json-rpc', 'ak_', 'ch_2', 'ba_', 'tx_', 'A'.repeat(5000),
];

/** The paths a client may ask for instead of /channel (cowboy's answers: 101, 404 or 400). */
const PATHS = ['/channel', '/channel', '/channel', '/channel/', '//channel', '/channel;x', '/channel%00', '/chan%6Eel', '/CHANNEL', '/channel/x', '/channel%zz', '/', '*', 'http://[', '/v3/../channel', '/channel?'];

/**
 * A connect request target seeded from a corpus URL: its accounts made the node's dev accounts
 * (mostly), a port of its own, then 0–4 mutations (a param dropped, doubled, given a hostile value,
 * junk added, the role swapped), on one of the paths above.
 */
export function mutatedTarget(rng: Rng, queries: readonly [string, string][][], accounts: readonly string[], port: number): string {
  const params = rng.pick(queries).map(([k, v]) => [k, v] as [string, string]);
  for (const p of params) {
    if (p[0] === 'initiator_id' && rng.chance(0.9) && p[1] !== 'any') p[1] = accounts[0]!;
    if (p[0] === 'responder_id' && rng.chance(0.9)) p[1] = accounts[1]!;
    if (p[0] === 'port') p[1] = String(port);
    if (p[0] === 'host') p[1] = '127.0.0.1';
  }
  for (let n = rng.int(0, 4); n > 0; n--) {
    const i = rng.int(0, params.length - 1);
    switch (rng.int(0, 5)) {
      case 0:
        params.splice(i, 1);
        break;
      case 1:
        if (params[i]) params.push([params[i]![0], rng.pick(BAD_VALUES)]);
        break;
      case 2:
      case 3:
        if (params[i]) params[i]![1] = rng.pick(BAD_VALUES);
        break;
      case 4:
        params.push([rng.pick(['junk', 'timeout_idle', 'timeout_sign', 'lock_period', 'ttl', 'nonce', 'log_keep', 'minimum_depth', 'bh_delta_pick', 'existing_channel_id', 'existing_fsm_id', 'fee']), rng.pick(BAD_VALUES)]);
        break;
      default: {
        const role = params.find((p) => p[0] === 'role');
        if (role) role[1] = role[1] === 'initiator' ? 'responder' : 'initiator';
      }
    }
  }
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${rng.chance(0.1) ? v : encodeURIComponent(v)}`).join('&');
  return `${rng.pick(PATHS)}?${query}`;
}
