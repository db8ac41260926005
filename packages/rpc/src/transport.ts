/** What a transport reports to its owner. */
export interface TransportHandlers {
  /** One text frame arrived. */
  readonly onMessage: (text: string) => void;
  /** The connection is gone (closed by either side or failed). Called once. */
  readonly onClose: (code: number, reason: string) => void;
  /** A pong frame arrived (the answer to {@link Transport.ping}); only transports with pings call it. */
  readonly onPong?: () => void;
}

/**
 * One open, message-oriented connection (a WebSocket, or a fake in tests). The RPC client never
 * looks inside; it only sends and receives text frames.
 */
export interface Transport {
  /** Sends one text frame. */
  readonly send: (text: string) => void;
  /** Closes the connection; `onClose` follows. */
  readonly close: (code?: number, reason?: string) => void;
  /** Sends a protocol-level ping (a WebSocket ping frame) when the implementation can. */
  readonly ping?: () => void;
  /** Drops the connection at once, without a closing handshake (a peer that went silent cannot answer one); `onClose` follows. */
  readonly terminate?: () => void;
}

/**
 * Opens a connection and wires it to `handlers`. Resolves once the connection is open; rejects
 * (or honours `signal`) when it cannot be opened. Called again for every reconnect.
 */
export type TransportConnector = (handlers: TransportHandlers, signal?: AbortSignal) => Promise<Transport>;
