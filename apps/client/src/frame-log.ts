import { type Transport, type TransportConnector, type TransportHandlers, parseJson } from '@aesc/rpc';

/** One JSON-RPC frame between this party and the node. */
export interface FrameRecord {
  /** `out`: this client → node; `in`: node → this client. */
  readonly direction: 'out' | 'in';
  readonly text: string;
  /** What the diagram writes on the arrow: the method, with the event or info where there is one. */
  readonly label: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

type Json = { method?: unknown; id?: unknown; params?: { data?: { event?: unknown; info?: unknown } }; result?: unknown; error?: { message?: unknown } };

function parse(text: string): Json[] | undefined {
  try {
    // Lossless, as the client parses: ids and amounts beyond 2^53 stay exact.
    const value: unknown = parseJson(text);
    return (Array.isArray(value) ? value : [value]).map((m) => (m !== null && typeof m === 'object' ? (m as Json) : {}));
  } catch {
    return undefined;
  }
}

function labelOne(m: Json, requestMethod: (id: string) => string | undefined): string {
  if (typeof m.method === 'string') {
    const data = m.params?.data;
    const detail = typeof data?.event === 'string' ? data.event : typeof data?.info === 'string' ? data.info : undefined;
    return detail === undefined ? m.method : `${m.method} (${detail})`;
  }
  const answers = m.id === undefined || m.id === null ? undefined : requestMethod(String(m.id));
  const of = answers === undefined ? '' : ` (${answers})`;
  if (m.error !== undefined) return `error${m.id === undefined ? '' : ` #${String(m.id)}`}${of}: ${String(m.error?.message ?? '')}`;
  if ('result' in m) return `result #${String(m.id)}${of}`;
  return 'frame';
}

/**
 * The label of a frame's arrow: method names (with the notification's event or info), and for
 * replies `result #id` with the method of the request they answer when `requestMethod` knows it.
 * Batches are joined with commas.
 */
export function frameLabel(text: string, requestMethod: (id: string) => string | undefined = () => undefined): string {
  const all = parse(text);
  return all === undefined ? 'unparsable frame' : all.map((m) => labelOne(m, requestMethod)).join(', ');
}

/**
 * Wraps a connector so that every text frame sent and received is also reported to `onFrame`
 * (before it reaches the client, or right after the client sends it).
 */
export function loggingConnector(inner: TransportConnector, onFrame: (frame: FrameRecord) => void): TransportConnector {
  return async (handlers: TransportHandlers, signal?: AbortSignal): Promise<Transport> => {
    const requests = new Map<string, string>();
    const record = (direction: 'out' | 'in', text: string) => {
      if (direction === 'out') {
        for (const m of parse(text) ?? []) if (typeof m.method === 'string' && m.id !== undefined && m.id !== null) requests.set(String(m.id), m.method);
      }
      onFrame({ direction, text, label: frameLabel(text, (id) => requests.get(id)), at: Date.now() });
    };
    const transport = await inner(
      {
        onMessage: (text) => {
          record('in', text);
          handlers.onMessage(text);
        },
        onClose: (code, reason) => handlers.onClose(code, reason),
      },
      signal,
    );
    return {
      ...transport,
      send: (text) => {
        record('out', text);
        transport.send(text);
      },
    };
  };
}
