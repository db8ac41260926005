import type { TransportConnector } from '@aesc/rpc';
import { describe, expect, it } from 'vitest';
import type { ChannelEvent } from '../machine/types.js';
import { connectChannel } from './channel-client.js';

const initiator = 'ak_2W5Z2uyH8s1smQo2ZxgB8V3hH9VCJkXmGCaATmtRQjJUbQ8MNB';
const responder = 'ak_2b94FCuxybDzRCpVHVCKusRQerR81duJ7ryHDfZdPLAW8YRiub';

describe('the driver', () => {
  it('holds back what the node sends with the socket’s opening until the app can listen', async () => {
    // A node that sends fsm_up and an info in the same task as the socket opens (ours does, on a reestablish).
    const connect: TransportConnector = async (handlers) => {
      handlers.onMessage('{"jsonrpc":"2.0","method":"channels.info","params":{"channel_id":null,"data":{"event":"fsm_up","fsm_id":"ba_AAAA"}}}');
      handlers.onMessage('{"jsonrpc":"2.0","method":"channels.info","params":{"channel_id":null,"data":{"event":"channel_accept"}}}');
      return { send: () => undefined, close: () => undefined };
    };
    const client = await connectChannel({
      connect,
      config: { role: 'initiator', initiator, responder, networkId: 'ae_test', initiatorAmount: 10n, responderAmount: 10n, pushAmount: 0n, channelReserve: 1n, lockPeriod: 1n },
      signer: { address: initiator, signTransaction: async () => new Uint8Array(64) },
    });
    const events: ChannelEvent[] = [];
    client.on((e) => events.push(e));
    await new Promise((r) => setTimeout(r, 10));
    await client.idle();
    expect(events.map((e) => (e.type === 'info' ? e.event : e.type === 'phase' ? `phase ${e.phase}` : e.type))).toEqual(['fsm_up', 'phase opening', 'channel_accept']);
  });
});
