import type { CachedChannel } from '../../src/fsm/cached-channel.js';

/** A state-cache record for tests: the fields a test does not give have fixed placeholder values. */
export function testRecord(fields: Partial<CachedChannel> = {}): CachedChannel {
  return {
    channelId: 'ch_2KWchbhB6sfWJoTnTRsCuzBSmxnLQTdNzPe33XNRvWsa2rnzDr',
    role: 'initiator',
    fsmId: 'ba_fsm-id',
    initiatorId: 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi',
    responderId: 'ak_2a1j2Mk9YSmC1gioUq4PWRm3bsv887MbuRVwyv4KaUGoR1eiKi',
    port: 3333,
    host: undefined,
    lockPeriod: '10',
    channelReserve: '2',
    minimumDepth: 0,
    minimumDepthStrategy: 'plain',
    round: '1',
    signedTx: 'tx_state',
    trees: 'ss_trees',
    ...fields,
  };
}
