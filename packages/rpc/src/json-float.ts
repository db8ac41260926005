/**
 * A JSON number written with a fraction or an exponent whose value is a whole number: `1.0`,
 * `1E2`, `-0.0`, `1.9999999999999999999` (which a double rounds to 2). The æternity node's JSON
 * decoder (jsx) reads every such literal as a float, and its checks for an integer refuse it
 * ("Not a number"); as a plain `number` it would pass for an integer here. {@link parseJson} gives
 * these literals as a `JsonFloat`; other fractional numbers (`1.5`) stay numbers, which no integer
 * check takes.
 *
 * @example
 * ```ts
 * const v = parseJson('{"amount":1E2}') as { amount: unknown };
 * v.amount instanceof JsonFloat; // true: not an integer
 * stringifyJson(v); // '{"amount":100.0}'
 * ```
 */
export class JsonFloat {
  /** The number's value (what `JSON.parse` reads). */
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** How the value is written back: a float's digits with a fraction, as jsx writes a float (`100.0`, `1e+21`). */
  toString(): string {
    const text = Object.is(this.value, -0) ? '-0' : String(this.value);
    return /[.e]/.test(text) ? text : `${text}.0`;
  }
}
