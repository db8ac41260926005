import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NodeHandle, startNode } from '../dev-node.js';

let node: NodeHandle | undefined;
let dir: string | undefined;
afterAll(async () => {
  await node?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the node serving an app', () => {
  it('serves its files at / beside /v3 and /channel, and nothing outside its directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aesc-app-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    node = await startNode({ port: 0, appDir: dir });
    const index = await fetch(`${node.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('<title>app</title>');
    expect((await fetch(`${node.url}/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${node.url}/v3/status`)).status).toBe(200);
    expect((await fetch(`${node.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${node.url}/missing.js`)).status).toBe(404);
  });
});
