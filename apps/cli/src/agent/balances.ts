import type { AccountAddress } from '@aesc/encoding';
import { type TreeSet, balancesOf } from '@aesc/state';
import { formatAe } from '../amount.js';

/** The participants' balances in a round's state trees, as JSON: address → aettos (decimal string). */
export function balancesJson(trees: TreeSet, participants: readonly AccountAddress[]): Record<string, string> {
  return Object.fromEntries(balancesOf(trees, participants).map((b) => [b.account, b.balance.toString()]));
}

/** The same for people: `alice 45 AE, bob 35 AE`, with `name` for each address. */
export function balancesText(balances: Readonly<Record<string, string>>, name: (address: string) => string): string {
  return Object.entries(balances)
    .map(([address, aettos]) => `${name(address)} ${formatAe(BigInt(aettos))}`)
    .join(', ');
}
