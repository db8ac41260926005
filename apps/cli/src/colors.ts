import { styleText } from 'node:util';

/** The styles the CLI uses: errors red, warnings yellow, names and headings bold or cyan. */
export type Style = 'red' | 'yellow' | 'green' | 'cyan' | 'bold' | 'dim';

/** Styles a text for one output stream: ANSI colors on a color terminal, the text as it is elsewhere. */
export type Paint = (style: Style, text: string) => string;

/** No colors (pipes, files, tests, `NO_COLOR`). */
export const plain: Paint = (_style, text) => text;

/** A stream the CLI may color: a terminal knows how many colors it has. */
export interface ColorStream {
  readonly isTTY?: boolean;
  hasColors?(count?: number, env?: object): boolean;
}

/**
 * Whether to color a stream: never when `NO_COLOR` is set to anything but "" (no-color.org),
 * always when `FORCE_COLOR` is set to anything but "0" or "false" (as Node reads it, "" too), else
 * only on a terminal that has colors (which also honours `TERM=dumb` and `NODE_DISABLE_COLORS`).
 */
export function wantsColor(stream: ColorStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && (stream.hasColors?.(16, env) ?? false);
}

/** The paint for a stream: colors when {@link wantsColor} says so. */
export function paintFor(stream: ColorStream, env: Readonly<Record<string, string | undefined>>): Paint {
  return wantsColor(stream, env) ? (style, text) => styleText(style, text) : plain;
}
