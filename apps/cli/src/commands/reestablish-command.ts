/**
 * How to come back to a session after a leave: by its account, as the README does, unless the
 * session has a name of its own (`--session`).
 */
export function reestablishCommand(session: string, account: string): string {
  return `aesc channel reestablish ${session === account ? `--account ${account}` : `--session ${session}`}`;
}
