/** A JSON integer as `@aesc/rpc` reads it: a `number`, or a `bigint` beyond 2^53. */
export type JsonInteger = number | bigint;
