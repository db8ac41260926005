import { AESC_ERROR__KILL_TEST__BAD_COMMAND, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './command.js';

const refusal = (line: string) => {
  try {
    parseCommand(line);
  } catch (e) {
    if (!isAescError(e, AESC_ERROR__KILL_TEST__BAD_COMMAND)) throw e;
    return { id: (e as { id?: number }).id, message: e.message };
  }
  throw new Error(`taken: ${line}`);
};

describe('a client process’s commands', () => {
  it('are taken as the harness writes them', () => {
    expect(parseCommand('{"id":1,"op":"transfer","amount":"10"}')).toEqual({ id: 1, op: 'transfer', amount: '10' });
    expect(parseCommand('{"id":2,"op":"deposit","amount":"100000"}')).toEqual({ id: 2, op: 'deposit', amount: '100000' });
    expect(parseCommand('{"id":3,"op":"withdraw","amount":"1"}')).toEqual({ id: 3, op: 'withdraw', amount: '1' });
    for (const op of ['status', 'node-state', 'resume']) expect(parseCommand(JSON.stringify({ id: 0, op }))).toEqual({ id: 0, op });
  });

  it('refuses anything else with code 10090, keeping the id when the line had one', () => {
    expect(refusal('not json').message).toContain('not JSON');
    expect(refusal('[1]').message).toContain('not a JSON object');
    expect(refusal('null').message).toContain('not a JSON object');
    expect(refusal('{"op":"status"}').message).toContain('no id');
    expect(refusal('{"id":-1,"op":"status"}').message).toContain('no id');
    expect(refusal('{"id":1.5,"op":"status"}').message).toContain('no id');
    expect(refusal('{"id":4,"op":"shutdown"}')).toEqual({ id: 4, message: expect.stringContaining('unknown op "shutdown"') });
    expect(refusal('{"id":4,"op":"__proto__"}').id).toBe(4);
    for (const amount of [10, '0', '-1', '1.5', '01', '', '1e3', '9'.repeat(40), null]) {
      expect(refusal(JSON.stringify({ id: 5, op: 'transfer', amount })), String(amount)).toEqual({ id: 5, message: expect.stringContaining('amount') });
    }
    expect(refusal(`{"id":6,"op":"status","pad":"${'x'.repeat(5000)}"}`).message).toContain('characters');
  });
});
