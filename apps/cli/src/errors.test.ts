import {
  AESC_ERROR__CHANNEL__CONFLICT,
  AESC_ERROR__CHAIN__TX_REJECTED,
  AESC_ERROR__CLI__AGENT_NOT_RUNNING,
  AESC_ERROR__CLI__USAGE,
  AESC_ERROR__ENCODING__BAD_CHECKSUM,
  AESC_ERROR__RPC__CONNECT_FAILED,
  AESC_ERROR__WALLET__WRONG_PASSWORD,
  AescError,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_UNREACHABLE, errorLine, exitCodeOf } from './errors.js';

describe('exit statuses', () => {
  it('are stable per kind of error', () => {
    expect(exitCodeOf(new AescError(AESC_ERROR__CLI__USAGE, { reason: 'x' }))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeOf(new AescError(AESC_ERROR__ENCODING__BAD_CHECKSUM, { prefix: 'ak' }))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeOf(new AescError(AESC_ERROR__WALLET__WRONG_PASSWORD, { name: 'k' }))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeOf(new AescError(AESC_ERROR__CHANNEL__CONFLICT, { round: '3', code: 2 }))).toBe(EXIT_CHECK_FAILED);
    expect(exitCodeOf(new AescError(AESC_ERROR__CHAIN__TX_REJECTED, { reason: 'too_low_fee', txHash: '' }))).toBe(EXIT_CHECK_FAILED);
    expect(exitCodeOf(new AescError(AESC_ERROR__CLI__AGENT_NOT_RUNNING, { session: 's' }))).toBe(EXIT_UNREACHABLE);
    expect(exitCodeOf(new AescError(AESC_ERROR__RPC__CONNECT_FAILED, { url: 'ws://x', reason: 'ECONNREFUSED' }))).toBe(EXIT_UNREACHABLE);
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT_BAD_INPUT);
  });

  it('come with one line naming the code, never a stack', () => {
    expect(errorLine(new AescError(AESC_ERROR__CLI__AGENT_NOT_RUNNING, { session: 's' }))).toMatch(/^aesc: error 10007: No channel agent runs for session "s"/);
    expect(errorLine(new Error('boom'))).toBe('aesc: internal error: boom');
  });
});
