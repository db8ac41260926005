/** A terminal to read a secret from: raw mode, so that nothing typed is echoed. */
export interface SecretInput {
  readonly isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Why a prompt gave no secret: Ctrl-C, or Ctrl-D / end of input before a line. */
export class PromptCanceled extends Error {
  constructor(readonly reason: 'canceled' | 'closed') {
    super(reason);
  }
}

/**
 * Asks for a secret on a terminal: writes the prompt to `output`, reads keys in raw mode with no
 * echo, and resolves at Enter. Backspace deletes; Ctrl-C rejects with `canceled`, Ctrl-D on an empty
 * line with `closed`, and Ctrl-U clears the line. Raw mode is switched off again whatever happens.
 */
export function readSecret(prompt: string, input: SecretInput, output: { write(s: string): unknown }): Promise<string> {
  // Raw mode before the prompt shows: a key typed as soon as it is seen is never echoed.
  input.setRawMode(true);
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: PromptCanceled) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(secret);
      else reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new PromptCanceled('canceled'));
        if (ch === '\u0004') {
          if (secret === '') return finish(new PromptCanceled('closed'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') secret = [...secret].slice(0, -1).join('');
        else if (ch === '\u0015') secret = '';
        else if (ch >= ' ') secret += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
