import { afterEach, beforeEach } from 'vitest';
import { type NodeHandle, type StartNodeOptions, startNode } from '../dev-node.js';
import { type RawClient, openRawChannel } from './raw-client.js';
import type { WireTap } from './wire-tap.js';

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

  /**
   * Opens a channel on the test's node (started here if the test started none) with bare
   * clients that sign everything ({@link openRawChannel}, `extra` and `perRole` as there), closed
   * after the test.
   */
  async openChannel(extra: Parameters<typeof openRawChannel>[1] = {}, perRole: Parameters<typeof openRawChannel>[2] = {}) {
    const node = this.#node ?? (await this.start());
    const opened = await openRawChannel(node, extra, perRole);
    this.track(opened.i, opened.r);
    return { node, ...opened };
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

/**
 * The nodes of a test file whose FSMs talk through `tap` (its `vi.mock` of in-process-link.js
 * returns wire-tap.ts's `tappedLinks`): the tap is emptied and untampered before each test, and the node
 * and its clients are closed after it.
 */
export function tappedTestNodes(tap: WireTap): TestNodes {
  const nodes = new TestNodes();
  beforeEach(() => {
    tap.sent.length = 0;
    tap.tamper = undefined;
  });
  afterEach(() => nodes.close());
  return nodes;
}
