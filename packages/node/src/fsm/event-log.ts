import { type ApiPrefix, type SignedTx, encodeApi, encodeTx } from '@aesc/encoding';

/** What an entry records (aesc_fsm `log/4`): a report to the client, a peer message sent or received, a request to the client. */
export type LogOp = 'rpt' | 'snd' | 'rcv' | 'req';

/** One entry, linked to the one before it in its window (newest first). */
export interface LogEntry {
  readonly op: LogOp;
  readonly tag: string;
  /** When (ms since the epoch). */
  readonly at: number;
  readonly info: unknown;
  /** `info` is a message of bytes and objects, rendered by `logInfo` when fetched (not on every event). */
  readonly raw: boolean;
  /** The entry before this one in the same window. */
  readonly before: LogEntry | undefined;
}

/** How `channels.history.fetch` names each kind (`sc_ws_api_jsonrpc:fold_history/2`). */
const TYPE_NAMES: Readonly<Record<LogOp, string>> = { rpt: 'report', snd: 'send', rcv: 'receive', req: 'request' };

/** The filter of `channels.history.fetch`: the `n` newest entries (default 10) of the given kinds and tags. */
export interface HistoryFilter {
  readonly n?: number | undefined;
  readonly type?: readonly string[] | undefined;
  readonly tag?: readonly string[] | undefined;
}

/**
 * An FSM's event log as the node keeps it (`aesc_window`, `log_keep` entries, default 10), as an
 * immutable value: the newest entries in one window until it holds `keep`, when it becomes the
 * older window (the one before it is dropped) and a new one starts, so between `keep` and twice
 * `keep` entries are kept. Each window is a list linked newest first, so adding an entry makes one
 * entry and one log value and copies nothing (the FSM's state holds the log, and a round adds
 * several entries).
 */
export interface LogWindow {
  readonly keep: number;
  /** The newest window, newest entry first, and how many entries it holds. */
  readonly newer: LogEntry | undefined;
  readonly count: number;
  /** The window before it (full), newest entry first. */
  readonly older: LogEntry | undefined;
}

/** An empty log that keeps `keep` entries at least. */
export function emptyLog(keep = 10): LogWindow {
  return { keep, newer: undefined, count: 0, older: undefined };
}

/** The log with one more event; with `raw`, `info` is a record of bytes and objects, rendered only when fetched. */
export function logAdd(log: LogWindow, op: LogOp, tag: string, info: unknown, raw: boolean, at: number): LogWindow {
  if (log.count < log.keep) return { keep: log.keep, newer: { op, tag, at, info, raw, before: log.newer }, count: log.count + 1, older: log.older };
  return { keep: log.keep, newer: { op, tag, at, info, raw, before: undefined }, count: 1, older: log.newer };
}

/**
 * The entries `filter` selects, as `channels.history.fetch` answers them: walked newest first, the
 * `n` newest that pass the filter (`n` ≤ 0 still answers the first one found, as the node's loop
 * does).
 */
export function logFetch(log: LogWindow, filter: HistoryFilter = {}): { type: string; tag: string; time: string; info: unknown }[] {
  let left = filter.n ?? 10;
  const out: LogEntry[] = [];
  walk: for (const head of [log.newer, log.older]) {
    for (let e = head; e !== undefined; e = e.before) {
      if (filter.type !== undefined && !filter.type.includes(e.op)) continue;
      if (filter.tag !== undefined && !filter.tag.includes(e.tag)) continue;
      out.push(e);
      if (--left <= 0) break walk;
    }
  }
  return out.map((e) => ({ type: TYPE_NAMES[e.op], tag: e.tag, time: rfc3339(e.at), info: e.raw ? logInfo(e.info as Record<string, unknown>) : e.info }));
}

/** A {@link LogWindow} held in a variable: notes events and answers `channels.history.fetch`. */
export class EventLog {
  #log: LogWindow;

  constructor(keep = 10) {
    this.#log = emptyLog(keep);
  }

  /** Notes an event; with `raw`, `info` is a record of bytes and objects, rendered only when fetched. */
  add(op: LogOp, tag: string, info: unknown, raw = false, at: number = Date.now()): void {
    this.#log = logAdd(this.#log, op, tag, info, raw, at);
  }

  /** The entries `filter` selects, as `channels.history.fetch` answers them. */
  fetch(filter: HistoryFilter = {}): { type: string; tag: string; time: string; info: unknown }[] {
    return logFetch(this.#log, filter);
  }
}

/** `2026-12-01T04:10:00.123000Z`: UTC with microseconds, as the node writes the time of an entry. */
function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000Z`;
}

/** Which API encoding a peer message's byte field gets in a log entry (`sc_ws_api_jsonrpc:encode_info_/2`); other bytes are `ba_`. */
const FIELD_PREFIX: Readonly<Record<string, ApiPrefix>> = {
  channel_id: 'ch',
  temporary_channel_id: 'ch',
  block_hash: 'mh',
  tx_hash: 'th',
  initiator: 'ak',
  responder: 'ak',
  from: 'ak',
  to: 'ak',
  tx: 'tx',
  signed_tx: 'tx',
};

const isSignedTx = (v: unknown): v is SignedTx => typeof v === 'object' && v !== null && (v as { tag?: unknown }).tag === 'signed_tx';

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A peer message (or another record of bytes, numbers and strings) as a log entry's `info`: keys
 * in snake case (`tempChannelId` is the node's `temporary_channel_id`), byte fields API-encoded
 * by name as the node encodes them, nested objects likewise, other values as they are.
 */
export function logInfo(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (key === 'type') continue;
    const name = key === 'tempChannelId' ? 'temporary_channel_id' : snake(key);
    out[name] = encodeValue(name, value);
  }
  return out;
}

function encodeValue(name: string, value: unknown): unknown {
  if ((name === 'tx' || name === 'signed_tx') && isSignedTx(value)) return encodeTx(value);
  if (value instanceof Uint8Array) {
    const prefix = FIELD_PREFIX[name] ?? 'ba';
    return prefix === 'ba' || prefix === 'tx' || value.length === 32 ? encodeApi(prefix, value) : encodeApi('ba', value);
  }
  if (Array.isArray(value)) return value.map((v) => encodeValue(name, v));
  if (typeof value === 'object' && value !== null) return logInfo(value as Record<string, unknown>);
  return value;
}
