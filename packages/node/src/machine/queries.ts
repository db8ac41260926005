import type { MessageParams, SystemParams } from '@aesc/channel-api';
import { publicKeyOf } from '@aesc/crypto';
import { type AccountAddress, bytesEqual, decodeApi, encodeApi } from '@aesc/encoding';
import { stringifyJson } from '@aesc/rpc';
import { balancesOf, buildPoi, emptyMpt, encodeCallsTree, encodePoi } from '@aesc/state';
import { NONE, NOT_ALLOWED_NOW, OK, reasonError, rpcError } from '../fsm/client-reply.js';
import { logFetch } from '../fsm/event-log.js';
import { txText } from '../fsm/object-bytes.js';
import { MAX_INBAND_MSG_SIZE } from '../peer/codec.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import type { ValidRequest } from './types.js';

/**
 * What a client asks without starting a round: balances, a PoI, the off-chain state, the event
 * log, pings and stops, generic messages (both ways), and the contract requests this node, having
 * no VM, answers as the node answers a channel without contracts.
 */

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

/** `channels.system`: a ping (with an id: the handler answers one without at once) or a stop. */
export function onSystem(b: Builder, params: SystemParams): void {
  if (params.action === 'ping') {
    b.reply(NONE);
    b.notify('channels.system.pong', { action: 'system', tag: 'pong' });
    return;
  }
  b.reply(OK);
  b.terminate('died');
}

/** The queries of the channel's state and log. */
export function onQuery(b: Builder, r: ValidRequest): void {
  const s = b.s;
  const method = r.method;
  switch (r.method) {
    case 'channels.get.balances':
      if (s.offchain === undefined) { b.reply(NOT_ALLOWED_NOW); return; }
      { b.replyData(r.method, balancesOf(s.offchain.trees, r.params.accounts)); return; }
    case 'channels.get.offchain_state':
      if (s.offchain === undefined) { b.reply(NOT_ALLOWED_NOW); return; }
      { b.replyData(method, {
        trees: b.ctx.states.encodedTrees(s.offchain.trees),
        calls: encodeCallsTree(emptyMpt()),
        signed_tx: txText(s.signedTx!),
        half_signed_tx: s.round?.half ? txText(s.round.half) : '',
      }); return; }
    case 'channels.get.poi': {
      if (s.offchain === undefined) { b.reply(NOT_ALLOWED_NOW); return; }
      const accounts = r.params.accounts ?? [];
      // Contracts are looked up as accounts too (the node's `get.poi` adds them to the accounts).
      const contracts = (r.params.contracts ?? []) as readonly string[];
      let poi: ReturnType<typeof buildPoi>;
      try {
        poi = buildPoi(s.offchain.trees, { accounts: [...accounts, ...contracts] as AccountAddress[] });
      } catch {b.reply(reasonError(100)); return; 
      }b.replyData(method, { poi: encodePoi(poi) }); return; 
    }
    case 'channels.clean_contract_calls':
      // (`ok_response(calls_pruned)`: the action alone; there are no calls to prune here)
      { b.replyData('channels.calls_pruned', { action: 'calls_pruned' }); return; }
    case 'channels.history.fetch': {
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
      const n = r.params.n === undefined ? undefined : Number(r.params.n);b.replyData(method, logFetch(s.log, { n, type: list(r.params.type), tag: list(r.params.tag) })); return; 
    }
    case 'channels.get.contract':
      // No channel here can hold a contract (making one needs the FATE VM): the node's answer
      // for a contract the channel's trees do not have, `not_found`.
      { b.reply(reasonError(100)); return; }
    case 'channels.get.contract_call':
      // Likewise no call: the node's `call_not_found` (asked in another state, the node's
      // FSM has no clause for it: "Internal error").
      { b.reply(s.phase === 'open' ? reasonError(1004) : rpcError(-32603)); return; }
    default:
      // Creating or calling a contract (new_contract, call_contract, its dry run, force
      // progress) needs the FATE VM, which this node does not have: the node's answer to a
      // request it does not handle (`unhandled`: -32601 "Method not found"). The FSM is left
      // as it was.
      { b.reply(rpcError(-32601)); return; }
  }
}

/** `channels.message`: a generic message to the peer (or, with `msg_forwarding`, through it). */
export function onMessageRequest(b: Builder, params: MessageParams): void {
  const s = b.s;
  const to = params.to;
  const from = params.from ?? b.me();
  const fromMe = from === b.me();
  if (!((fromMe && to === b.other()) || s.config.options.msgForwarding) || s.peer === 0 || s.initiator === undefined) {b.reply(rpcError(-32603)); return; 
  }
  const info = typeof params.info === 'string' ? params.info : stringifyJson(params.info);
  const bytes = utf8.encode(info);
  // The node's `inband_msg` refuses a message over its size (`invalid_request`).
  if (bytes.length > MAX_INBAND_MSG_SIZE) { b.reply(rpcError(-32000)); return; }
  b.reply(NONE);
  b.toPeer({
    type: 'inband_msg',
    channelId: s.channelId ? decodeApi(s.channelId, 'ch') : s.tempChannelId,
    from: publicKeyOf(from),
    to: publicKeyOf(to),
    info: bytes,
  });
}

/**
 * A generic message from the peer (aesc_fsm `check_inband_msg`): reported only with a client
 * attached, for this channel, and addressed as the peer may address it: to us from the peer, or,
 * with `msg_forwarding`, to us from anyone (forwarded) or from the peer to anyone (to forward);
 * anything else is dropped.
 */
export function onInbandMessage(b: Builder, m: Extract<PeerMessage, { type: 'inband_msg' }>): void {
  const s = b.s;
  if (!s.client || s.channelId === undefined || !bytesEqual(m.channelId, decodeApi(s.channelId, 'ch'))) return;
  const from = encodeApi('ak', m.from);
  const to = encodeApi('ak', m.to);
  const direct = to === b.me() && from === b.other();
  if (!direct && !(s.config.options.msgForwarding && (to === b.me() || from === b.other()))) return;
  b.report('message', 'channels.message', { message: { channel_id: s.channelId, from, to, info: utf8Decode.decode(m.info) } });
}
