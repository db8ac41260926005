import type { FrameRecord } from './frame-log.js';

const ROW = 26;
const TOP = 44;
const WIDTH = 640;
const LEFT = 105;
const RIGHT = WIDTH - 105;
const BOX = 190;

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * A sequence diagram of the frames between this party (left lifeline) and the node (right), as
 * SVG markup: one arrow per frame, oldest at the top, newest at the bottom, the method (and event)
 * on each arrow and the whole frame in its tooltip.
 */
export function sequenceDiagramSvg(frames: readonly FrameRecord[], labels: { readonly self: string; readonly node: string }): string {
  const height = TOP + Math.max(frames.length, 1) * ROW + 16;
  const t0 = frames[0]?.at ?? 0;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="JSON-RPC sequence diagram">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>',
    `<rect x="${LEFT - BOX / 2}" y="4" width="${BOX}" height="24" rx="4" class="actor"/><text x="${LEFT}" y="21" text-anchor="middle" class="actor-label">${escapeXml(clip(labels.self, 26))}</text>`,
    `<rect x="${RIGHT - BOX / 2}" y="4" width="${BOX}" height="24" rx="4" class="actor"/><text x="${RIGHT}" y="21" text-anchor="middle" class="actor-label">${escapeXml(clip(labels.node, 26))}</text>`,
    `<line x1="${LEFT}" y1="28" x2="${LEFT}" y2="${height}" class="lifeline"/><line x1="${RIGHT}" y1="28" x2="${RIGHT}" y2="${height}" class="lifeline"/>`,
  ];
  frames.forEach((f, i) => {
    const y = TOP + i * ROW + 12;
    const [x1, x2] = f.direction === 'out' ? [LEFT, RIGHT] : [RIGHT, LEFT];
    const cls = f.direction === 'out' ? 'out' : 'in';
    out.push(
      `<g class="msg ${cls}" data-direction="${cls}"><title>${escapeXml(clip(f.text, 2000))}</title>`,
      `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" marker-end="url(#arrow)"/>`,
      `<text x="${(LEFT + RIGHT) / 2}" y="${y - 4}" text-anchor="middle" class="label">${escapeXml(clip(f.label, 60))}</text>`,
      `<text x="4" y="${y + 4}" class="time">+${((f.at - t0) / 1000).toFixed(2)}s</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}
