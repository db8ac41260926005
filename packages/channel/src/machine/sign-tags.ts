import { SIGN_TAGS as API_SIGN_TAGS } from '@aesc/channel-api';
import { askedFor } from './command-methods.js';
import type { AskedFor } from './types.js';

/** What the client knows of a sign tag: how to answer it, whose request it is, who signs first. */
export interface SignTag {
  /** The reply method. */
  readonly reply: string;
  /** Whether it is the peer's proposal (the app's policy approves it) rather than this client's request. */
  readonly peer: boolean;
  /**
   * What of this client's asks for it (`open`: the create tx of the channel it opens), one of
   * which must be under way for the node to ask; empty for the peer's proposals.
   */
  readonly asked: readonly AskedFor['kind'][];
  /** Whether the tx comes signed by the peer already (and by no one else), or by no one. */
  readonly signedFirstBy: 'peer' | 'none';
}

/**
 * The sign tags the node sends (`channels.sign.<tag>`) that this client takes, as
 * `@aesc/channel-api` describes them (the reply clients send, the peer's proposal or not, who signs
 * first), each with what of this client's leads to it (`askedFor`). A tag no command of this
 * client leads to (force progress, which needs a contract VM) is not here.
 */
export const SIGN_TAGS: Readonly<Record<string, SignTag>> = Object.freeze(
  Object.fromEntries(
    Object.entries(API_SIGN_TAGS).flatMap(([tag, spec]): [string, SignTag][] => {
      const base = { reply: spec.reply, peer: spec.peerProposal, signedFirstBy: spec.signedFirstBy };
      if (spec.peerProposal) return [[tag, { ...base, asked: [] }]];
      const asked = askedFor(tag);
      return asked.length === 0 ? [] : [[tag, { ...base, asked }]];
    }),
  ),
);

/** The client's facts about `tag` (see {@link SIGN_TAGS}), or undefined for a tag it does not take. */
export function signTagSpec(tag: string): SignTag | undefined {
  return Object.hasOwn(SIGN_TAGS, tag) ? SIGN_TAGS[tag] : undefined;
}
