// Quick-fixes never lose data: on every upstream config and on configs built
// from the schema, with and without a target GPU, each fix keeps comments,
// blank lines and key order, is idempotent, and clears its diagnostic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fixViolations } from '../fix-roundtrip';
import { corpusConfigs, TARGETS, wellFormedConfig } from '../fuzz-support';

test('every quick-fix on the upstream configs keeps the file intact', () => {
  const violations = corpusConfigs().flatMap((c) => TARGETS.flatMap((gpu) => fixViolations(c.text, gpu).map((v) => `${c.name}: ${v}`)));
  assert.deepEqual(violations, []);
});

test('every quick-fix on generated configs keeps the file intact (fixed seed)', () => {
  fc.assert(
    fc.property(wellFormedConfig, fc.constantFrom(...TARGETS), (text, gpu) => assert.deepEqual(fixViolations(text, gpu), [])),
    { seed: 7, numRuns: 300, endOnFailure: true },
  );
});

test('a value that is only a comment is set before the comment', () => {
  const text = 'model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ndo_train: true\nfinetuning_type: lora\nreport_to:   # choices: [none, wandb]\n';
  assert.deepEqual(fixViolations(text, ''), []);
});
