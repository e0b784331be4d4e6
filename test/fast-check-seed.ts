// Property tests run from one fixed seed by default, so that every CI run checks the same cases
// and a change fails only for what it changed. Long runs (SEALKIT_FUZZ_RUNS) explore new seeds;
// SEALKIT_FUZZ_SEED replays one (fast-check prints it with every failure).
import fc from 'fast-check';

const seed = process.env.SEALKIT_FUZZ_SEED ?? (process.env.SEALKIT_FUZZ_RUNS ? undefined : '20261123');
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
