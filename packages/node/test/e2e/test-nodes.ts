import { type NodeHandle, type StartNodeOptions, startNode } from '../dev-node.js';
import type { RawClient } from './raw-client.js';

/**
 * The node a test starts and the clients it opens, closed together after the test: a test file
 * makes one and calls {@link TestNodes.close} in its `afterEach`.
 */
export class TestNodes {
  #node: NodeHandle | undefined;
  readonly #clients: RawClient[] = [];

  /** Starts the test's node (on a free port unless `options` say otherwise). */
  async start(options: StartNodeOptions = {}): Promise<NodeHandle> {
    this.#node = await startNode({ port: 0, ...options });
    return this.#node;
  }

  /** The node the running test started. */
  get node(): NodeHandle {
    if (this.#node === undefined) throw new Error('no node started in this test');
    return this.#node;
  }

  /** Clients to close after the test. */
  track(...clients: RawClient[]): void {
    this.#clients.push(...clients);
  }

  /** Closes the clients, then the node. */
  async close(): Promise<void> {
    for (const c of this.#clients.splice(0)) c.close();
    await this.#node?.close();
    this.#node = undefined;
  }
}
