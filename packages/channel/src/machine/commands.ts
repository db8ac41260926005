import { AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, AescError } from '@aesc/errors';
import { type OffchainRoundName, isOffchainRound, offchainRound } from '@aesc/protocol';
import { COMMAND_METHODS, PROPOSALS } from './command-methods.js';
import type { Command, HistoryQuery } from './types.js';
import type { Builder } from './builder.js';
import { abortReply } from './sign-requests.js';

/** The app's commands (`transfer`, `deposit`, queries, …): each becomes a request to the node, or waits for the channel to be open. */

function onChainParams(c: { fee?: bigint; gasPrice?: bigint; nonce?: bigint }): Record<string, unknown> {
  return {
    ...(c.fee === undefined ? {} : { fee: c.fee }),
    ...(c.gasPrice === undefined ? {} : { gas_price: c.gasPrice }),
    ...(c.nonce === undefined ? {} : { nonce: c.nonce }),
  };
}

function historyParams(q: HistoryQuery): Record<string, unknown> {
  return {
    ...(q.n === undefined ? {} : { n: q.n }),
    ...(q.type === undefined ? {} : { type: q.type }),
    ...(q.tag === undefined ? {} : { tag: q.tag }),
  };
}

const WHILE_OPEN: ReadonlySet<Command['kind']> = new Set([...PROPOSALS, 'shutdown', 'snapshot-solo']);

/** Commands whose JSON-RPC result is their answer (queries); the others complete on later notifications. */
const QUERIES: ReadonlySet<Command['kind']> = new Set(['balances', 'poi', 'offchain-state', 'history', 'clean-contract-calls', 'stop', 'assume-minimum-depth']);

export function onCommand(b: Builder, id: number, command: Command): void {
  const s = b.state;
  if (command.kind === 'abort') {
    // Aborts the signing round waiting for this client's signature (own request or peer proposal).
    const round = s.round;
    if (round === undefined || !round.awaitingSignature) {
      b.effects.push({ type: 'reject', id, error: new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: 'abort', phase: 'not signing' }) });
      return;
    }
    abortReply(b, round.replyMethod, command.code);
    b.clear('round');
    if (!round.peerProposal) b.failCommand(new AescError(AESC_ERROR__CHANNEL__REFUSED_BY_POLICY, { reason: `aborted with code ${command.code}` }));
    b.effects.push({ type: 'resolve', id, value: undefined });
    return;
  }
  // The peer's proposal is signed here and only waits for the node to complete it: a command that
  // needs an open channel waits for that too, rather than being refused for a round it cannot see.
  if (WHILE_OPEN.has(command.kind) && s.phase === 'signing' && s.command === undefined && s.round?.peerProposal === true && !s.round.awaitingSignature) {
    b.set({ deferred: [...(s.deferred ?? []), { id, command }] });
    return;
  }
  const busy = s.command !== undefined && command.kind !== 'message' && command.kind !== 'ping';
  // A new update while the peer's proposal waits for this client's signature: the node lets a
  // client do that and settles it as a conflict of both rounds (only_one_signs in the corpus);
  // the proposal is dropped unsigned.
  const supersedes =
    PROPOSALS.has(command.kind) && s.phase === 'signing' && s.command === undefined && s.round?.peerProposal === true && s.round.awaitingSignature;
  const wrongPhase = WHILE_OPEN.has(command.kind) && s.phase !== 'open' && !supersedes;
  if (busy || wrongPhase || (s.phase === 'terminated' && command.kind !== 'stop')) {
    const error = new AescError(AESC_ERROR__CHANNEL__NOT_ALLOWED_NOW, { command: command.kind, phase: busy ? 'busy' : s.phase });
    b.effects.push({ type: 'reject', id, error });
    return;
  }
  if (supersedes) b.clear('round');
  let requestId: number | undefined;
  const send = (method: string, params: Record<string, unknown>) => {
    requestId = b.send(method, params, true);
  };
  if (isOffchainRound(command.kind)) {
    // An off-chain round: its method and params as its kind declares them.
    const { kind: _, blockHash, ...request } = command as Extract<Command, { kind: OffchainRoundName }>;
    const round = offchainRound(command.kind);
    send(round.method.method, { ...round.params(request), ...(blockHash === undefined ? {} : { block_hash: blockHash }) });
  } else switch (command.kind) {
    case 'deposit':
    case 'withdraw':
      send(COMMAND_METHODS[command.kind].method, {
        amount: command.amount,
        ...(command.meta === undefined ? {} : { meta: command.meta }),
        ...(command.blockHash === undefined ? {} : { block_hash: command.blockHash }),
        ...onChainParams(command),
      });
      break;
    case 'shutdown':
    case 'close-solo':
    case 'slash':
    case 'settle':
    case 'snapshot-solo':
      // An on-chain tx of the channel's: its method, and the fee, gas price and nonce asked for.
      send(COMMAND_METHODS[command.kind].method, onChainParams(command));
      break;
    case 'message':
      b.send(COMMAND_METHODS.message.method, { info: command.info, to: command.to, ...(command.from === undefined ? {} : { from: command.from }) });
      b.effects.push({ type: 'resolve', id, value: undefined });
      return;
    case 'balances':
      requestId = b.send(COMMAND_METHODS.balances.method, { accounts: command.accounts }, true);
      break;
    case 'poi':
      requestId = b.send(
        COMMAND_METHODS.poi.method,
        { accounts: command.accounts, ...(command.contracts === undefined ? {} : { contracts: command.contracts }) },
        true,
      );
      break;
    case 'offchain-state':
      requestId = b.send(COMMAND_METHODS['offchain-state'].method, {}, true);
      break;
    case 'history':
      requestId = b.send(COMMAND_METHODS.history.method, historyParams(command.query), true);
      break;
    case 'clean-contract-calls':
      requestId = b.send(COMMAND_METHODS['clean-contract-calls'].method, {}, true);
      break;
    case 'leave':
      send(COMMAND_METHODS.leave.method, {});
      break;
    case 'ping':
      send(COMMAND_METHODS.ping.method, { action: 'ping' });
      break;
    case 'assume-minimum-depth':
      send(COMMAND_METHODS['assume-minimum-depth'].method, { tx_hash: command.txHash });
      break;
    case 'stop':
      requestId = b.send(COMMAND_METHODS.stop.method, { action: 'stop' }, true);
      break;
  }
  b.set({ command: { id, command, requestId: requestId ?? 0, completesOnResult: QUERIES.has(command.kind) } });
}
