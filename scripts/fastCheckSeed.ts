/**
 * Property-based tests (fast-check) draw a new seed every local run, so the fuzzing keeps exploring;
 * in CI (CI=true) they take FC_SEED (default 42), so a red build replays the same inputs. A failure
 * prints its seed either way: `FC_SEED=<seed> npx vitest run <file>` reproduces it.
 */
import fc from 'fast-check';

const pinned = process.env.FC_SEED ?? (process.env.CI ? '42' : undefined);
if (pinned !== undefined) fc.configureGlobal({ seed: Number(pinned) });
