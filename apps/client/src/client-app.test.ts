import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevnetHandle, startDevnet } from '@aesc/devnet';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from './dev-accounts.js';

// Issue 7: the client app, served by our node, drives a channel from two headless Chromium pages —
// the responder joins, the initiator opens, transfers and closes mutually — and shows the JSON-RPC
// frames of each party as a sequence diagram. UPDATE_SCREENSHOT=1 rewrites docs/client-app.png.

const CHROMIUM = '/usr/bin/chromium';
const appRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(appRoot, 'dist');
const repoRoot = join(appRoot, '..', '..');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the app with Vite unless `dist` is newer than its sources (turbo usually built it already). */
async function ensureBuilt(): Promise<void> {
  const index = join(distDir, 'index.html');
  const sources = Math.max(newestMtime(join(appRoot, 'src')), newestMtime(join(appRoot, 'index.html')), newestMtime(join(appRoot, 'vite.config.ts')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ root: appRoot, configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn' });
}

let node: DevnetHandle | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await ensureBuilt();
  node = await startDevnet({ port: 0, appDir: distDir });
}, 60_000);

/** Launches Debian's Chromium; without it the test fails (CI installs it), it never downloads a browser. */
async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the client app test needs Debian's Chromium (apt-get install chromium); no browser is downloaded`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const text = (page: Page, sel: string) => page.locator(sel).textContent();

async function openApp(role: 'initiator' | 'responder', account: number, peer: number): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${role} page] ${e.message}`));
  await page.goto(`${node!.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  // The default node is the page's own origin: the node serves the app next to /channel.
  expect(await page.inputValue('#node-url')).toBe(node!.channelUrl);
  await page.selectOption('#role', role);
  await page.selectOption('#key-source', 'dev');
  await page.selectOption('#dev-index', String(account));
  await page.selectOption('#peer-dev', String(peer));
  await page.fill('#initiator-amount', '1000000000000000000');
  await page.fill('#responder-amount', '500000000000000000');
  await page.fill('#push-amount', '0');
  await page.fill('#lock-period', '3');
  expect(await text(page, '#connect')).toBe(role === 'initiator' ? 'Open channel' : 'Join channel');
  return page;
}

/** Waits for the page's phase; on timeout, fails with the page's event log. */
async function phase(page: Page, ...phases: string[]): Promise<void> {
  try {
    await page.waitForFunction((ps) => ps.includes(document.getElementById('phase')?.dataset.phase ?? ''), phases, { timeout: 20_000 });
  } catch (e) {
    throw new Error(`phase ${phases.join('/')} not reached (${await text(page, '#phase')}); the page's log:\n${(await page.locator('#log li').allTextContents()).join('\n')}`, { cause: e });
  }
}
const arrows = (page: Page) => page.locator('#diagram svg g.msg').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-direction')} ${g.querySelector('.label')?.textContent}`));

describe('the client app in headless Chromium', () => {
  it('joins, opens, transfers and closes a channel from two pages, with the sequence diagram', async () => {
    browser = await launch();
    const [a, b] = await Promise.all([devAccount(0), devAccount(1)]);
    const responder = await openApp('responder', 1, 0);
    const initiator = await openApp('initiator', 0, 1);
    expect(await text(initiator, '#my-address')).toBe(a.address);
    expect(await initiator.inputValue('#peer')).toBe(b.address);
    expect(await text(responder, '#my-address')).toBe(b.address);

    await responder.click('#connect');
    await phase(responder, 'connecting', 'opening');
    await initiator.click('#connect');
    await Promise.all([phase(initiator, 'open'), phase(responder, 'open')]);
    for (const page of [initiator, responder]) {
      await expect.poll(() => text(page, '#round')).toBe('1');
      expect(await text(page, '#channel-id')).toMatch(/^ch_/);
    }
    expect(await text(initiator, '#balance-self')).toContain('1000000000000000000 (1 AE)');
    expect(await text(responder, '#balance-self')).toContain('500000000000000000 (0.5 AE)');

    await initiator.fill('#amount', '250000000000000000');
    await initiator.click('#transfer');
    for (const page of [initiator, responder]) await expect.poll(() => text(page, '#round')).toBe('2');
    expect(await text(initiator, '#balance-self')).toContain('750000000000000000 (0.75 AE)');
    expect(await text(initiator, '#balance-peer')).toContain('750000000000000000 (0.75 AE)');
    expect(await text(responder, '#balance-self')).toContain('750000000000000000 (0.75 AE)');
    expect(await text(responder, '#balance-peer')).toContain('750000000000000000 (0.75 AE)');

    await initiator.click('#send-message');
    await expect.poll(() => text(responder, '#log')).toContain('message from');

    await initiator.click('#close');
    await Promise.all([phase(initiator, 'closed'), phase(responder, 'closed')]);
    expect(node!.chain!.chain.channel((await text(initiator, '#channel-id')) as never)).toBeUndefined();

    // The dev chain's key blocks (to pass lock periods) from the page.
    const height = node!.chain!.chain.height;
    await initiator.fill('#kb-count', '3');
    await initiator.click('#mine');
    await expect.poll(() => text(initiator, '#height')).toBe(`height ${height + 3n}`);

    // The diagram: this party's requests to the node and the node's notifications, in order.
    const mine = await arrows(initiator);
    const theirs = await arrows(responder);
    const inOrder = (list: string[], expected: string[]) => {
      let at = 0;
      for (const label of expected) {
        const found = list.indexOf(label, at);
        if (found < 0) return `${label} (after ${expected[expected.indexOf(label) - 1] ?? 'the start'})`;
        at = found + 1;
      }
      return 'all in order';
    };
    const initiatorSequence = [
      'in channels.info (fsm_up)',
      'in channels.info (channel_accept)',
      'in channels.sign.initiator_sign',
      'out channels.initiator_sign',
      'in channels.info (open)',
      'out channels.update.new',
      'in channels.sign.update',
      'out channels.update',
      'in channels.update',
      'out channels.message',
      'out channels.shutdown',
      'in channels.sign.shutdown_sign',
      'out channels.shutdown_sign',
      'in channels.on_chain_tx (channel_closed)',
      'in channels.info (closed_confirmed)',
    ];
    const responderSequence = [
      'in channels.info (fsm_up)',
      'in channels.info (channel_open)',
      'in channels.sign.responder_sign',
      'out channels.responder_sign',
      'in channels.info (open)',
      'in channels.sign.update_ack',
      'out channels.update_ack',
      'in channels.update',
      'in channels.message',
      'in channels.sign.shutdown_sign_ack',
      'out channels.shutdown_sign_ack',
      'in channels.info (closed_confirmed)',
    ];
    expect(inOrder(mine, initiatorSequence), `the initiator's diagram:\n${mine.join('\n')}`).toBe('all in order');
    expect(inOrder(theirs, responderSequence), `the responder's diagram:\n${theirs.join('\n')}`).toBe('all in order');
    // Replies name the request they answer.
    expect(mine).toContain('in result #1 (channels.initiator_sign)');
    expect(await initiator.locator('#diagram svg .actor-label').allTextContents()).toEqual([expect.stringMatching(/^initiator ak_/), expect.stringMatching(/^node 127\.0\.0\.1:\d+$/)]);

    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      writeFileSync(join(repoRoot, 'docs', 'client-app.png'), await initiator.screenshot({ fullPage: false }));
    }
  }, 60_000);
});
