import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevAccount } from '@aesc/chain';

/** Writes a genesis file funding `accounts` (address → balance, as `startDevnet({ genesis })` reads it) in `dir`; returns its path. */
export function writeGenesisFile(dir: string, accounts: readonly DevAccount[]): string {
  const path = join(dir, 'genesis.json');
  writeFileSync(path, JSON.stringify(Object.fromEntries(accounts.map((x) => [x.address, x.balance.toString()]))));
  return path;
}
