import type { ConnectParams } from '@aesc/channel-api';
import type { AccountAddress, ChannelId } from '@aesc/encoding';
import { type BlockHashDelta, blockHashDeltaOf } from './block-hash-delta.js';
import { type MinimumDepthStrategy, defaultMinimumDepth } from './min-depth.js';

/** The timeouts of an FSM in ms (`timeout_<name>` connect params; fsm.hrl `DEFAULT_TIMEOUTS`). */
export interface FsmTimeouts {
  readonly accept: number;
  readonly fundingCreate: number;
  readonly fundingSign: number;
  readonly fundingLock: number;
  readonly idle: number;
  readonly sign: number;
  readonly awaitingOpen: number;
  readonly initialized: number;
}

/** What a participant's FSM is opened with: the connect parameters, typed. */
export interface FsmOptions {
  readonly role: 'initiator' | 'responder';
  readonly host: string | undefined;
  readonly port: number;
  /** `undefined` for a responder that accepts any initiator (`initiator_id=any`). */
  readonly initiatorId: AccountAddress | undefined;
  readonly responderId: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  readonly pushAmount: bigint;
  readonly minimumDepth: number;
  readonly minimumDepthStrategy: MinimumDepthStrategy;
  readonly ttl: bigint;
  readonly fee: bigint | undefined;
  readonly gasPrice: bigint | undefined;
  readonly nonce: bigint | undefined;
  readonly timeouts: FsmTimeouts;
  /** How far from the top the block hashes of proposals are picked and accepted (`bh_delta_*`). */
  readonly blockHashDelta: BlockHashDelta;
  /** Which notifications the client gets, by report tag (`report_<tag>`). */
  readonly reports: Readonly<Record<string, boolean>>;
  readonly keepRunning: boolean;
  readonly msgForwarding: boolean;
  /** How many events the FSM's log keeps at least (`log_keep`, default 10; see event-log.ts). */
  readonly logKeep: number;
  readonly existingChannelId: ChannelId | undefined;
  readonly existingFsmId: string | undefined;
}

const orDefault = (v: number | undefined, nodeDefault: number, fallback: number) => (v === undefined || v === nodeDefault ? fallback : v);

const REPORT_TAGS = ['info', 'update', 'leave', 'conflict', 'message', 'error', 'on_chain_tx', 'min_depth', 'debug'] as const;

/**
 * The most `log_keep` entries an FSM keeps (it holds up to twice as many). The node keeps as many
 * as asked; here a client cannot make one FSM's log hold more than 200 entries (peer messages of
 * up to 64 KiB each among them).
 */
export const MAX_LOG_KEEP = 100;

/** `log_keep` as the node's `check_log_opt` reads it (a negative one is the default, 10), at most {@link MAX_LOG_KEEP}. */
const logKeepOf = (v: number) => (v < 0 ? 10 : Math.min(v, MAX_LOG_KEEP));

/**
 * Reads an FSM's options from parsed connect parameters (defaults already filled in, the
 * `bh_delta_*` ones as a group, every integer within the safe integers: see parseConnectUrl).
 */
export function fsmOptionsOf(p: ConnectParams): FsmOptions {
  const get = <T>(k: string) => (p as Record<string, unknown>)[k] as T | undefined;
  const num = (k: string, d: number) => Number(get<number>(k) ?? d);
  const big = (k: string) => {
    const v = get<bigint | number>(k);
    return v === undefined ? undefined : BigInt(v);
  };
  const strategy = (get<string>('minimum_depth_strategy') ?? 'txfee') as MinimumDepthStrategy;
  const idle = num('timeout_idle', 600_000);
  const accept = num('timeout_accept', 120_000);
  const initiator = get<string>('initiator_id');
  return {
    role: p.role,
    host: get<string>('host'),
    port: p.port,
    initiatorId: initiator === undefined || initiator === 'any' ? undefined : (initiator as AccountAddress),
    responderId: get<AccountAddress>('responder_id') as AccountAddress,
    initiatorAmount: big('initiator_amount') ?? 0n,
    responderAmount: big('responder_amount') ?? 0n,
    channelReserve: big('channel_reserve') ?? 0n,
    lockPeriod: big('lock_period') ?? 0n,
    pushAmount: big('push_amount') ?? 0n,
    minimumDepth: get<number>('minimum_depth') ?? defaultMinimumDepth(strategy),
    minimumDepthStrategy: strategy,
    ttl: big('ttl') ?? 0n,
    fee: big('fee'),
    gasPrice: big('gas_price'),
    nonce: big('nonce'),
    timeouts: {
      accept,
      fundingCreate: num('timeout_funding_create', 120_000),
      fundingSign: num('timeout_funding_sign', 120_000),
      fundingLock: num('timeout_funding_lock', 360_000),
      idle,
      sign: num('timeout_sign', 500_000),
      // These two follow idle / accept unless set to something else (parseConnectUrl fills in the defaults).
      awaitingOpen: orDefault(get<number>('timeout_awaiting_open'), 600_000, idle),
      initialized: orDefault(get<number>('timeout_initialized'), 120_000, accept),
    },
    blockHashDelta: blockHashDeltaOf(num('bh_delta_not_newer_than', 0), num('bh_delta_not_older_than', 10), num('bh_delta_pick', 0)),
    reports: Object.fromEntries(REPORT_TAGS.map((t) => [t, Boolean(get<boolean>(`report_${t}`) ?? t !== 'debug')])),
    keepRunning: p.role === 'responder' && (get<boolean>('keep_running') ?? true),
    msgForwarding: get<boolean>('msg_forwarding') ?? false,
    logKeep: logKeepOf(num('log_keep', 10)),
    existingChannelId: get<ChannelId>('existing_channel_id'),
    existingFsmId: get<string>('existing_fsm_id'),
  };
}
