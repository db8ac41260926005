import type { Server } from 'node:http';
import { AESC_ERROR__CHAIN__LISTEN_FAILED, AescError } from '@aesc/errors';

/**
 * Starts a server listening on `host:port` (0 picks a free port). A port that is taken, not
 * allowed, or not a port at all (outside 0–65535) is one coded error, `AESC_ERROR__CHAIN__LISTEN_FAILED`
 * with the system's reason (`EADDRINUSE`, `EACCES`, …), and the server is left closed.
 */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  const failed = (reason: string, cause: unknown) => new AescError(AESC_ERROR__CHAIN__LISTEN_FAILED, { host, port, reason }, { cause });
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return Promise.reject(failed('not a port (0–65535)', undefined));
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(failed(e.code ?? e.message, e));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
