// A dev chain in its own process, for the restart and SIGKILL tests: prints its URL, runs until killed.
import { startChain } from '../dist/index.js';

const handle = await startChain({ dataDir: process.argv[2], port: 0 });
process.on('SIGTERM', () => {
  void handle.close().then(() => process.exit(0));
});
process.stdout.write(`${handle.url}\n`);
