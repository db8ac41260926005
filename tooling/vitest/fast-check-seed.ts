import fc from 'fast-check';

/**
 * Every property test runs from one seed, so a run is repeatable and a counterexample one run
 * finds, every run finds. `FC_SEED=<n>` explores from another seed; `FC_SEED=random` from a new one
 * each run (fast-check prints the seed of a failure).
 */
const chosen = process.env.FC_SEED;
if (chosen !== 'random') fc.configureGlobal({ seed: chosen === undefined ? 0x0ae5c : Number(chosen) });
