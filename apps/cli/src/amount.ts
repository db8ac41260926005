import { AESC_ERROR__CLI__USAGE, AescError } from '@aesc/errors';

/** 1 AE in aettos. */
export const AE = 10n ** 18n;

/**
 * An amount as a user types it: aettos (`5000`), or AE with the `ae` suffix (`1.5ae`, up to 18
 * decimals). Never a float: the value is exact.
 */
export function parseAmount(text: string, option: string): bigint {
  const t = text.trim().toLowerCase();
  const ae = /^(\d+)(?:\.(\d{1,18}))?ae$/.exec(t);
  if (ae !== null) return BigInt(ae[1] as string) * AE + BigInt((ae[2] ?? '').padEnd(18, '0') || '0');
  if (/^\d+$/.test(t)) return BigInt(t);
  throw new AescError(AESC_ERROR__CLI__USAGE, { reason: `${option} takes an amount in aettos (5000) or AE (1.5ae), not "${text}"` });
}

/** An amount in AE for people: `47 AE`, `0.1 AE`, `1.000000000000000001 AE`. */
export function formatAe(aettos: bigint): string {
  const sign = aettos < 0n ? '-' : '';
  const v = aettos < 0n ? -aettos : aettos;
  const frac = (v % AE).toString().padStart(18, '0').replace(/0+$/, '');
  return `${sign}${v / AE}${frac ? `.${frac}` : ''} AE`;
}
