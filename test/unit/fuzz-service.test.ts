// Fixed-seed fuzzing of the whole service: mutated upstream configs and
// configs generated from the schema never crash analysis, hover, completion,
// symbols, links or code actions, and everything they return lies inside the
// document. The long run is `npm run fuzz -- --runs 100000`.
import { test } from 'node:test';
import fc from 'fast-check';
import { checkService, fuzzCase } from '../fuzz-support';

test('the service survives mutated and generated configs (fixed seed)', () => {
  fc.assert(
    fc.property(fuzzCase, (c) => checkService(c.text, { positions: c.positions, gpu: c.gpu })),
    { seed: 20240611, numRuns: 2_000, endOnFailure: true },
  );
});
