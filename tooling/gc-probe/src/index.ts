export * from './promoted-per-scavenge.js';
