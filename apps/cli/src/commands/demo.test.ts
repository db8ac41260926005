import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { main } from '../main.js';

// Issue 7, must-show 3 (the demo half): the README's main job — the node and a two-party session —
// runs to the end and its timeline ends with the settled balances.
describe('aesc demo', () => {
  it('runs the two-party story on the node and ends with the settled balances on chain', async () => {
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => out.push(`ERR ${l}`), readStdin: async () => '', readFile: async () => '' };
    expect(await main(['demo'], io)).toBe(0);
    const text = out.join('\n');
    for (const step of ['← info open', '→ transfer 5 AE to Bob', '← message from Alice', '← info own_deposit_locked', '← on_chain_tx solo_closing', 'abort code 42', '← info aborted_update', '← on_chain_tx channel_closed (channel_settle_tx)']) {
      expect(text).toContain(step);
    }
    // 50 + 30 AE in, 5 to Bob, 2 back, Bob deposits 10: Alice 47, Bob 43.
    expect(out.at(-1)).toBe('settled balances: Alice 47 AE, Bob 43 AE');
  }, 60_000);
});
