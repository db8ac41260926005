import type { Rng } from '@aesc/test-support';

/** Number literals the node's JSON decoder reads otherwise than a double would, or not at all. */
const NUMBERS = [
  '1E2', '1.9999999999999999999', '1.0000000000000000001', '-0', '0.0', '-0.0', '1e400', '-1e400', `1${'0'.repeat(400)}`, `-1${'0'.repeat(400)}`,
  '-1', '0', '1', '18446744073709551616', '9007199254740993', '-576460752303423488', '2.5', '1e-400', '65535', '65536', '4294967296',
];

/** Strings that look like what a param wants, and do not quite hold it. */
function hostileString(rng: Rng, accounts: readonly string[]): string {
  switch (rng.int(0, 9)) {
    case 0:
      return '';
    case 1:
      return rng.pick(accounts);
    case 2: {
      const a = rng.pick(accounts);
      const i = rng.int(3, a.length - 1);
      return `${a.slice(0, i)}${a[i] === 'x' ? 'y' : 'x'}${a.slice(i + 1)}`; // a broken checksum
    }
    case 3:
      return `${rng.pick(['ak_', 'tx_', 'ch_', 'kh_', 'mh_', 'th_', 'ba_', 'ct_', 'st_', 'sk_'])}${'A'.repeat(rng.int(0, 60))}`;
    case 4:
      return 'x'.repeat(rng.pick([1, 100, 65_000, 65_001, 70_000]));
    case 5:
      return '\u0000aesc-bigint:5';
    case 6:
      return '\ud800';
    case 7:
      return String(rng.int(-1000, 100_000));
    case 8:
      return 'ping';
    default:
      return rng.pick(['stop', 'any', 'json-rpc', 'initiator', 'responder', 'rpt', 'info']);
  }
}

/** Nested arrays or objects `depth` deep, as text. */
export function deepText(rng: Rng, depth: number, inner = '1'): string {
  return rng.chance(0.5) ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** A JSON value as text, hostile to whatever reads it: odd numbers, near-miss strings, depth. */
export function hostileValue(rng: Rng, accounts: readonly string[], depth = 0): string {
  const k = rng.int(0, depth > 2 ? 5 : 9);
  switch (k) {
    case 0:
    case 1:
      return rng.pick(NUMBERS);
    case 2:
    case 3:
      return JSON.stringify(hostileString(rng, accounts));
    case 4:
      return rng.pick(['null', 'true', 'false', '[]', '{}']);
    case 5:
      return String(rng.int(-5, 2_000_000));
    case 6:
      return deepText(rng, rng.pick([10, 100, 1000, 5000]));
    case 7:
      return `[${Array.from({ length: rng.int(0, 4) }, () => hostileValue(rng, accounts, depth + 1)).join(',')}]`;
    default:
      return `{${Array.from({ length: rng.int(0, 4) }, () => `${JSON.stringify(hostileString(rng, accounts).slice(0, 20))}:${hostileValue(rng, accounts, depth + 1)}`).join(',')}}`;
  }
}

/** Client methods and the params each takes (the keys a hostile request fills). */
export const METHOD_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'channels.update.new': ['from', 'to', 'amount', 'meta', 'block_hash'],
  'channels.deposit': ['amount', 'meta', 'block_hash', 'fee', 'nonce', 'gas_price'],
  'channels.withdraw': ['amount', 'meta', 'block_hash', 'fee', 'nonce', 'gas_price'],
  'channels.message': ['to', 'info', 'from'],
  'channels.get.balances': ['accounts'],
  'channels.get.offchain_state': [],
  'channels.get.poi': ['accounts', 'contracts'],
  'channels.get.contract': ['pubkey'],
  'channels.get.contract_call': ['contract_id', 'caller_id', 'round'],
  'channels.history.fetch': ['n', 'type', 'tag'],
  'channels.assume_minimum_depth': ['tx_hash'],
  'channels.clean_contract_calls': [],
  'channels.update.new_contract': ['vm_version', 'abi_version', 'deposit', 'code', 'call_data'],
  'channels.update.call_contract': ['contract_id', 'abi_version', 'amount', 'call_data'],
  'channels.dry_run.call_contract': ['contract_id', 'abi_version', 'amount', 'call_data'],
  'channels.force_progress': ['contract_id', 'abi_version', 'amount', 'call_data', 'gas_price'],
  'channels.update': ['signed_tx', 'error'],
  'channels.update_ack': ['signed_tx', 'error'],
  'channels.initiator_sign': ['signed_tx', 'error'],
  'channels.responder_sign': ['signed_tx', 'error'],
  'channels.deposit_tx': ['signed_tx', 'error'],
  'channels.deposit_ack': ['signed_tx', 'error'],
  'channels.withdraw_tx': ['signed_tx', 'error'],
  'channels.withdraw_ack': ['signed_tx', 'error'],
  'channels.shutdown_sign': ['signed_tx', 'error'],
  'channels.shutdown_sign_ack': ['signed_tx', 'error'],
  'channels.no_such_method': ['x'],
};

/** The methods that end or close a channel: never sent to the channels the fuzzer keeps. */
export const ENDING = ['channels.leave', 'channels.shutdown', 'channels.close_solo', 'channels.settle', 'channels.slash', 'channels.snapshot_solo', 'channels.system'];

/** A request's text: a method with hostile params, ids of every kind. */
export function hostileRequest(rng: Rng, accounts: readonly string[], methods: readonly string[] = Object.keys(METHOD_PARAMS)): string {
  const method = rng.chance(0.95) ? rng.pick(methods) : hostileString(rng, accounts);
  const keys = METHOD_PARAMS[method] ?? [];
  const params = rng.chance(0.9)
    ? `{${keys
        .filter(() => rng.chance(0.8))
        .concat(rng.chance(0.1) ? ['extra'] : [])
        .map((k) => `"${k}":${hostileValue(rng, accounts)}`)
        .join(',')}}`
    : hostileValue(rng, accounts);
  const id = rng.pick(['', '"id":1,', '"id":-576460752303423488,', '"id":"x",', '"id":null,', '"id":1.5,', '"id":{},', '"id":1E2,']);
  const jsonrpc = rng.chance(0.95) ? '"jsonrpc":"2.0",' : rng.pick(['', '"jsonrpc":"1.0",', '"jsonrpc":2,']);
  return `{${jsonrpc}${id}"method":${JSON.stringify(method)},"params":${params}}`;
}

/** Any text a client could send in a frame: broken JSON, JSON that is no request, requests, batches, depth. */
export function hostileFrame(rng: Rng, accounts: readonly string[]): string {
  switch (rng.weighted<number>([
    [3, 0],
    [2, 1],
    [2, 2],
    [10, 3],
    [1, 4],
    [1, 5],
  ])) {
    case 0: {
      const r = hostileRequest(rng, accounts);
      return r.slice(0, rng.int(0, r.length - 1)); // truncated
    }
    case 1:
      return rng.pick([deepText(rng, rng.pick([100, 5000, 20_000])), `{"jsonrpc":"2.0","method":"channels.update.new","params":{"from":${deepText(rng, 2000, '[]')},"to":"${accounts[1]}","amount":1}}`]);
    case 2:
      return rng.pick(['', ' ', '[]', 'null', '0', '"x"', '{}', '[1,2]', '{"jsonrpc":"2.0"}', '{"method":null}', '{"jsonrpc":"2.0","id":1}', '\u0000', '{"a":1}x', String.fromCharCode(...rng.bytes(20)).replace(/[\ud800-\udfff]/g, '?')]);
    case 3:
      return hostileRequest(rng, accounts);
    case 4:
      return `[${Array.from({ length: rng.int(1, 20) }, () => hostileRequest(rng, accounts)).join(',')}]`;
    default:
      return `{"jsonrpc":"2.0","id":2,"method":"channels.no_such_method","params":{"pad":"${'p'.repeat(rng.chance(0.05) ? rng.int(100_000, 900_000) : rng.int(1000, 20_000))}"}}`;
  }
}
