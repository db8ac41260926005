import type { Writable } from 'node:stream';

/**
 * Writes made through the returned function during one turn of the event loop leave the socket
 * together, in one `writev`, at the end of the turn (`setImmediate`).
 *
 * Why: an FSM often sends two frames to one client at once (`channels.info` `update` then
 * `channels.sign.update_ack`, to the responder of every transfer). `ws` writes each frame as soon as
 * it is sent, and over TCP each write is a system call that runs the whole loopback path: in
 * `pnpm bench:node` the socket writes were the largest item of a round's profile. Corking the
 * socket for the rest of the turn (the stream's own `cork`/`uncork`, which `ws` nests inside)
 * merges them without changing what is sent or in which order.
 */
export function turnBatcher(socket: Writable): (write: () => void) => void {
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  return (write) => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    write();
  };
}
