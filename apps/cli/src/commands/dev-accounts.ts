import { devAccounts } from '@aesc/chain';
import { type Paint, plain } from '../colors.js';
import { formatAe } from '../amount.js';

/** How many dev accounts `aesc node start` and `aesc chain start` show. */
export const SHOWN_DEV_ACCOUNTS = 10;

/**
 * The funded dev accounts of the dev chain with their secret keys, as a dev chain prints them at
 * start, under a warning: the keys are derived from fixed seeds, the same for everyone.
 */
export async function devAccountLines(paint: Paint = plain): Promise<string[]> {
  const accounts = await devAccounts(SHOWN_DEV_ACCOUNTS);
  return [
    `funded dev accounts (${formatAe(accounts[0]!.balance)} each; "aesc chain accounts --count N" lists more):`,
    paint('yellow', '  these keys are the same for everyone: use them on this dev chain only, never on a real network'),
    ...accounts.map((a, i) => `  (${i}) ${paint('bold', a.address)}\n      secret key ${a.secretKey}`),
  ];
}
