// The long fuzz run: `npm run fuzz -- --runs 100000 [--seed N]`. Same cases and
// invariants as the fixed-seed test; prints the count, the time and every
// failure fast-check shrinks to.
import fc from 'fast-check';
import { checkService, fuzzCase } from '../test/fuzz-support';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a whole number`);
  return v;
}

const runs = flag('runs', 10_000);
const seed = flag('seed', Date.now() % 2 ** 31);
const t0 = performance.now();
const details = fc.check(fc.property(fuzzCase, (c) => checkService(c.text, { positions: c.positions, gpu: c.gpu })), { seed, numRuns: runs });
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
if (details.failed) {
  console.log(`FAILED after ${details.numRuns} of ${runs} cases (seed ${seed}, ${seconds} s)`);
  console.log(`counterexample: ${JSON.stringify(details.counterexample)}`);
  console.log(String(details.errorInstance));
  process.exit(1);
}
console.log(`ok: ${details.numRuns} cases, 0 failures (seed ${seed}, ${seconds} s)`);
