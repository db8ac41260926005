import { decodeTx, encodeTx } from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { expectNoUnhandledRejections, methods, scriptedChannel } from '../../test/driver/scripted-node.js';
import type { ChannelEvent } from '../machine/types.js';
import type { ChannelClientOptions } from './channel-client.js';

// What the app's own code (its signing policy, its listeners) or a closing socket throws never
// escapes as an unhandled rejection, never skips what the client does next, and never signs.

const NETWORK = 'ae_app_errors';
const { kr, responder, sign, resumeConfig, scripted: scriptedClient } = await scriptedChannel(NETWORK);

/** A client at round 1 on a scripted node, open; `failSend` makes the socket's send throw. */
async function scripted(options: Partial<ChannelClientOptions> = {}, failSend = () => false) {
  const c = await scriptedClient(resumeConfig(), options, failSend);
  c.node('channels.info', { event: 'fsm_up', fsm_id: 'ba_AAAA' });
  await c.client.waitFor('open');
  return c;
}

describe('the driver when the app’s code or the socket throws', () => {
  expectNoUnhandledRejections();

  it('a signing policy that throws declines: the request is aborted with code 1, nothing is signed, the transfer fails', async () => {
    const c = await scripted({
      policy: async () => {
        throw new Error('policy bug holding a secret: hunter2');
      },
    });
    const transfer = c.client.transfer(responder, 10n);
    await expect.poll(() => methods(c.sent)).toEqual(['channels.update.new']);
    c.signUpdate();
    const error = await transfer.then(() => undefined, (e: unknown) => e);
    expect(isAescError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(c.sent[1]).toMatchObject({ method: 'channels.update', params: { error: 1 } });
    expect(c.signerAsked()).toBe(0);
    expect(c.client.state().last?.state.round).toBe(1n);
    c.client.close();
  });

  it('a listener that throws: the others hear every event, the round goes on to the end, the app gets the error', async () => {
    const thrown: unknown[] = [];
    const c = await scripted({ onListenerError: (e) => thrown.push(e) });
    const heard: ChannelEvent['type'][] = [];
    c.client.on(() => {
      throw new Error('listener bug');
    });
    c.client.on((e) => heard.push(e.type));
    const transfer = c.client.transfer(responder, 10n);
    await expect.poll(() => methods(c.sent)).toEqual(['channels.update.new']);
    c.signUpdate();
    await expect.poll(() => methods(c.sent).length).toBe(2);
    const coSigned = await sign(decodeTx(String((c.sent[1]!.params as { signed_tx: string }).signed_tx)), kr.secretKey);
    c.node('channels.update', { state: encodeTx(coSigned) });
    expect(await transfer).toBe(2n);
    expect(heard).toContain('round');
    expect(thrown.length).toBe(heard.length);
    expect(thrown.every((e) => (e as Error).message === 'listener bug')).toBe(true);
    c.client.close();
  });

  it('a socket whose send throws: no unhandled rejection, and the close that follows ends the transfer', async () => {
    let failing = false;
    const c = await scripted({}, () => failing);
    failing = true;
    const transfer = c.client.transfer(responder, 10n);
    const outcome = transfer.then(() => 'resolved', (e: unknown) => (isAescError(e) ? 'rejected' : 'other'));
    await c.client.idle();
    expect(c.sent).toEqual([]);
    c.close();
    expect(await outcome).toBe('rejected');
    c.client.close();
  });
});
