import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/**
 * Serves the files of a built web app from `dir` (GET only; `/` is `index.html`; paths that leave
 * the directory are refused). Returns the handler the chain's HTTP server falls back to.
 */
export function staticFiles(dir: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = normalize(dir);
  return (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return false;
    }
    if (path === '/' || path === '') path = '/index.html';
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return false;
    try {
      if (!statSync(file).isFile()) return false;
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
      res.end(body);
      return true;
    } catch {
      return false;
    }
  };
}
