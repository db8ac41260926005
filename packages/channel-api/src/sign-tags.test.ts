import { describe, expect, it } from 'vitest';
import { CLIENT_METHODS } from './client-methods.js';
import { NOTIFICATIONS, NOTIFICATION_METHODS } from './node-notifications.js';
import type { ClientMethodSpec } from './param-schema.js';
import { SIGN_REPLY_METHODS, SIGN_TAGS, type SignTag, isSignTag, signRequestMethod, signTagOf } from './sign-tags.js';

describe('sign tags as a client uses them', () => {
  it('name the reply a client sends (one the node takes for the tag) and the peer’s proposals; a request’s method names the tag it leads to', () => {
    for (const [tag, spec] of Object.entries(SIGN_TAGS)) {
      expect(spec.replies, tag).toContain(spec.reply);
      expect(SIGN_REPLY_METHODS[spec.reply], tag).toBe(spec.fsmTag);
      // the peer's proposals are the *_ack tags, signed by the peer first
      expect(spec.peerProposal, tag).toBe(tag.endsWith('_ack'));
      if (spec.peerProposal) expect(spec.signedFirstBy, tag).toBe('peer');
    }
    // the create tx: the initiator signs first, the responder second
    expect([SIGN_TAGS.initiator_sign.signedFirstBy, SIGN_TAGS.responder_sign.signedFirstBy]).toEqual(['none', 'peer']);
    expect(SIGN_TAGS.slash_tx.reply).toBe('channels.slash_sign');
    const ledTo = new Map<string, string[]>();
    for (const spec of Object.values(CLIENT_METHODS) as ClientMethodSpec[]) {
      if (spec.signTag === undefined) continue;
      expect(isSignTag(spec.signTag) && !SIGN_TAGS[spec.signTag].peerProposal, spec.method).toBe(true);
      ledTo.set(spec.signTag, [...(ledTo.get(spec.signTag) ?? []), spec.method]);
    }
    expect(ledTo.get('update')).toEqual(['channels.update.new', 'channels.update.new_contract', 'channels.update.call_contract']);
    // every tag of a client's own is led to by a request, but the create tx's, which the connect leads to
    const own = Object.keys(SIGN_TAGS).filter((t) => !SIGN_TAGS[t as SignTag].peerProposal);
    expect(own.filter((t) => !ledTo.has(t))).toEqual(['initiator_sign', 'responder_sign']);
  });

  it('a sign request method names its tag, and nothing else does', () => {
    expect(signTagOf(signRequestMethod('update_ack'))).toBe('update_ack');
    expect(signTagOf('channels.sign.made_up')).toBe('made_up');
    expect(isSignTag('made_up')).toBe(false);
    expect(isSignTag('constructor')).toBe(false);
    expect(isSignTag('shutdown_sign_ack')).toBe(true);
    for (const m of [undefined, '', 'channels.sign.', 'channels.sign', 'channels.update', 'x.channels.sign.update']) expect(signTagOf(m), String(m)).toBeUndefined();
  });

  it('the notifications by name are the notification methods', () => {
    expect(NOTIFICATION_METHODS).toEqual(Object.values(NOTIFICATIONS));
    expect(new Set(NOTIFICATION_METHODS).size).toBe(9);
    expect(NOTIFICATIONS.pong).toBe('channels.system.pong');
  });
});
