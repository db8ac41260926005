import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { connectParams, loadTranscript } from '@aesc/corpus';
import type { AccountAddress } from '@aesc/encoding';
import { toHex } from '@aesc/encoding';
import { parseJson, stringifyJson } from '@aesc/rpc';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { recordedSignatures } from './client-replay.js';

// Issue 4, must-show 3: the client runs in a browser. A page bundling @aesc/channel (browser
// WebSocket, @noble crypto, IndexedDB store) in Debian's headless Chromium plays the responder of
// sc_ws_basic_open_close against a scripted node: it opens the channel, co-signs the peer's update
// and keeps the round in IndexedDB.
describe('the client in a browser', () => {
  it('opens a channel and acknowledges an update from headless Chromium', async () => {
    const entry = fileURLToPath(new URL('./browser-entry.ts', import.meta.url));
    const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
    const js = bundle.outputFiles[0]!.text;
    const page = createServer((req, res) => {
      if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', () => r()));
    const pagePort = (page.address() as { port: number }).port;

    const t = loadTranscript('sc_ws_basic_open_close.json');
    const p = connectParams(t.steps.find((s) => s.kind === 'connect' && s.actor === 'responder')!);
    // The page signs as the recorded responder did (the client checks its own signature too).
    const recorded = await recordedSignatures(t.steps, 'responder', p.responder_id as AccountAddress, 'local_iris_testnet');
    const signatures = Object.fromEntries([...recorded].map(([tx, sig]) => [tx, toHex(sig)]));
    const node = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => node.once('listening', () => r()));
    const nodePort = (node.address() as { port: number }).port;
    const sent: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      node.on('connection', async (ws) => {
        const frames: string[] = [];
        let waiter: (() => void) | undefined;
        ws.on('message', (d) => {
          frames.push(d.toString());
          waiter?.();
        });
        for (const s of t.steps.filter((x) => x.actor === 'responder')) {
          const m = s.message as { params?: { signed_tx?: string } } | undefined;
          if (s.kind === 'recv' && m !== undefined) ws.send(stringifyJson(m));
          else if (s.kind === 'send' && m?.params?.signed_tx !== undefined) {
            while (frames.length === 0) await new Promise<void>((r) => (waiter = r));
            const method = (parseJson(frames.shift()!) as { method: string }).method;
            sent.push(method);
            if (method === 'channels.update_ack') {
              // deliver the co-signed round of that update, then stop
              const next = t.steps.filter((x) => x.actor === 'responder').slice(t.steps.filter((x) => x.actor === 'responder').indexOf(s) + 1);
              for (const n of next) {
                if (n.kind === 'send') break;
                if (n.kind === 'recv') ws.send(stringifyJson(n.message));
              }
              resolve();
              return;
            }
          }
        }
        reject(new Error('no update_ack in the transcript'));
      });
    });

    // Debian's Chromium (CI installs it); without it the test fails saying so, and never downloads a browser.
    if (!existsSync('/usr/bin/chromium')) throw new Error("/usr/bin/chromium is missing: the browser test needs Debian's Chromium (apt-get install chromium)");
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${pagePort}/`);
      await tab.waitForFunction(() => 'startClient' in globalThis);
      await tab.evaluate(
        (c) => (globalThis as unknown as { startClient: (x: unknown) => Promise<void> }).startClient(c),
        { url: `ws://127.0.0.1:${nodePort}/channel`, initiator: p.initiator_id, responder: p.responder_id, amounts: [p.initiator_amount, p.responder_amount, p.push_amount, p.channel_reserve, p.lock_period], signatures },
      );
      await done;
      await tab.waitForFunction(() => (globalThis as unknown as { clientRound: () => string }).clientRound() === '2', null, { timeout: 20_000 });
      expect(sent).toEqual(['channels.responder_sign', 'channels.update_ack']);
      expect(await tab.evaluate(() => (globalThis as unknown as { storedRound: () => Promise<string> }).storedRound())).toBe('2');
    } finally {
      await browser.close();
      await new Promise<void>((r) => node.close(() => r()));
      await new Promise<void>((r) => page.close(() => r()));
    }
  });
});
