// LLaMA-Factory's own examples launch, so they must get no error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { sideFiles, v0Examples, v1Examples } from '../corpus';
import { analyzeText, corpusDir, fsHost } from '../helpers';

const host = fsHost([corpusDir]);
const run = (file: string, gpu = '') => analyzeText(readFileSync(file, 'utf8'), { host, configPath: file, settings: { gpu } });
const errors = (file: string, gpu = '') =>
  run(file, gpu).diagnostics.filter((d) => d.severity === 1).map((d) => `${path.relative(corpusDir, file)}:${d.range.start.line + 1} ${String(d.code)} ${String(d.message)}`);

test('the corpus has the expected files', () => {
  assert.equal(v0Examples().length, 66);
  assert.equal(v1Examples().length, 17);
});

test('every upstream v0 example is a v0 config with no error', () => {
  for (const f of v0Examples()) assert.equal(run(f).kind, 'llamafactory-v0', f);
  assert.deepEqual(v0Examples().flatMap((f) => errors(f)), []);
});

test('every upstream v0 example is error-free on an H100', () => {
  assert.deepEqual(v0Examples().flatMap((f) => errors(f, 'h100-sxm-80gb')), []);
});

test('every v1 example is recognised as v1 with no error', () => {
  for (const f of v1Examples()) {
    const a = run(f);
    assert.equal(a.kind, 'llamafactory-v1', f);
    assert.deepEqual(errors(f), []);
  }
});

test('Accelerate configs and side files stay silent', () => {
  for (const f of sideFiles()) assert.deepEqual(run(f).diagnostics, [], f);
});
