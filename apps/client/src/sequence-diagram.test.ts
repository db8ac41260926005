import type { Transport, TransportHandlers } from '@aesc/rpc';
import { describe, expect, it } from 'vitest';
import { devAccount } from './dev-accounts.js';
import { type FrameRecord, frameLabel, loggingConnector } from './frame-log.js';
import { sequenceDiagramSvg } from './sequence-diagram.js';

describe('frame labels', () => {
  it('names methods, notification events and infos, replies and batches', () => {
    expect(frameLabel('{"jsonrpc":"2.0","method":"channels.update.new","params":{"amount":1},"id":3}')).toBe('channels.update.new');
    expect(frameLabel('{"jsonrpc":"2.0","method":"channels.info","params":{"channel_id":null,"data":{"event":"fsm_up"}}}')).toBe('channels.info (fsm_up)');
    expect(frameLabel('{"jsonrpc":"2.0","method":"channels.on_chain_tx","params":{"data":{"info":"channel_closed","tx":"tx_"}}}')).toBe('channels.on_chain_tx (channel_closed)');
    expect(frameLabel('{"jsonrpc":"2.0","result":"ok","id":18446744073709551617}', (id) => (id === '18446744073709551617' ? 'channels.ping' : undefined))).toBe(
      'result #18446744073709551617 (channels.ping)',
    );
    expect(frameLabel('{"jsonrpc":"2.0","error":{"code":3,"message":"Rejected"},"id":4}')).toBe('error #4: Rejected');
    expect(frameLabel('[{"method":"a"},{"method":"b"}]')).toBe('a, b');
    expect(frameLabel('not json')).toBe('unparsable frame');
  });
});

describe('the logging connector', () => {
  it('reports every frame both ways and names the request a reply answers', async () => {
    const frames: FrameRecord[] = [];
    const sent: string[] = [];
    let deliver: TransportHandlers['onMessage'] = () => {};
    const inner = async (h: TransportHandlers): Promise<Transport> => {
      deliver = h.onMessage;
      return { send: (t) => sent.push(t), close: () => {} };
    };
    const received: string[] = [];
    const transport = await loggingConnector(inner, (f) => frames.push(f))({ onMessage: (t) => received.push(t), onClose: () => {} });
    transport.send('{"jsonrpc":"2.0","method":"channels.get.balances","params":{},"id":7}');
    deliver('{"jsonrpc":"2.0","result":[],"id":7}');
    expect(sent).toHaveLength(1);
    expect(received).toEqual(['{"jsonrpc":"2.0","result":[],"id":7}']);
    expect(frames.map((f) => `${f.direction} ${f.label}`)).toEqual(['out channels.get.balances', 'in result #7 (channels.get.balances)']);
  });
});

describe('the sequence diagram', () => {
  it('draws one arrow per frame, newest at the bottom, and escapes what it shows', () => {
    const frames: FrameRecord[] = [
      { direction: 'in', text: '{"method":"channels.info"}', label: 'channels.info (fsm_up)', at: 1000 },
      { direction: 'out', text: '{"info":"<b>&"}', label: 'channels.message', at: 1500 },
    ];
    const svg = sequenceDiagramSvg(frames, { self: 'initiator ak_1', node: 'node <x>' });
    expect(svg.match(/<g class="msg /g)).toHaveLength(2);
    expect(svg.indexOf('channels.info (fsm_up)')).toBeLessThan(svg.indexOf('channels.message'));
    expect(svg).toContain('node &#60;x&#62;');
    expect(svg).toContain('&#60;b&#62;&#38;');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('+0.50s');
  });
});

describe('dev accounts in the browser code', () => {
  it('are the chain’s dev accounts', async () => {
    const { devAccounts } = await import('@aesc/chain');
    const [a0, a1] = await devAccounts(2);
    expect((await devAccount(0)).address).toBe(a0!.address);
    expect((await devAccount(1)).address).toBe(a1!.address);
    expect(Buffer.from((await devAccount(1)).secretKey).toString('hex')).toBe(a1!.secretKey);
  });
});
