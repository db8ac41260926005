import { parseConnectUrl } from '@aesc/channel-api';
import { fsmOptionsOf } from '../../src/fsm/fsm-options.js';
import type { FsmConfig } from '../../src/machine/types.js';

/** The initiator and responder of the machine's unit tests. */
export const I = 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi';
export const R = 'ak_tHggZ5wKxbrxY2Yt1EAviybdDcKk9Mq4DZQiwKCDWkEaXE8U';

/** The connect URL of a channel between {@link I} and {@link R} (100000000000000 each, reserve 1, lock period 10). */
export const connectUrl = (role: string) =>
  `ws://localhost:3014/channel?protocol=json-rpc&role=${role}&host=localhost&port=3333&initiator_id=${I}&responder_id=${R}` +
  '&lock_period=10&push_amount=0&initiator_amount=100000000000000&responder_amount=100000000000000&channel_reserve=1';

/** The machine's config for one side of that channel, on a node without a block source. */
export function configOf(role: 'initiator' | 'responder', durableCache = false): FsmConfig {
  const parsed = parseConnectUrl(connectUrl(role));
  if (!parsed.ok) throw parsed.error;
  const options = fsmOptionsOf(parsed.value);
  return {
    role,
    fsmId: 'ba_fsm',
    options,
    genesisHash: new Uint8Array(32).fill(7),
    minMinerGasPrice: 1_000_000_000n,
    createTxVersion: 2,
    hasBlocks: false,
    idleArm: { type: 'arm', name: 'idle', ms: options.timeouts.idle },
    durableCache,
  };
}
