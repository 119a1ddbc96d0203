// The 66 upstream v0 example configs are launchable: the train rules must not
// report a single error on them (warnings and hints are allowed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { configCountsByContent, v0Examples } from '../corpus';
import { check, checkFixes, contextFor, corpusRoot, fsHost, messageOf } from './train-rules-support';

test('the upstream v0 examples get no errors', () => {
  const files = v0Examples();
  assert.equal(files.length, configCountsByContent().v0);
  const host = fsHost([corpusRoot]);
  const errors = files.flatMap((f) =>
    check(contextFor(f, undefined, host))
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${path.relative(corpusRoot, f)}:${d.range.start.line + 1} ${String(d.code)} ${messageOf(d)}`));
  assert.deepEqual(errors, []);
});

test('the DeepSpeed and dataset references of the examples resolve through the search root', () => {
  const host = fsHost([corpusRoot]);
  const ds3 = contextFor(path.join(corpusRoot, 'examples/train_lora/qwen3_lora_sft_ds3.yaml'), undefined, host);
  const diags = check(ds3);
  assert.ok(!diags.some((d) => String(d.code).startsWith('deepspeed-') || String(d.code).startsWith('dataset-')), JSON.stringify(diags));
});

test('every fix offered on the upstream examples round-trips', () => {
  const host = fsHost([corpusRoot]);
  const applied = v0Examples().reduce((n, f) => n + checkFixes(contextFor(f, undefined, host)), 0);
  assert.ok(applied > 0);
});

test('v1 configs and Accelerate configs get nothing from the v0 rules', () => {
  const host = fsHost([corpusRoot]);
  const others = [path.join(corpusRoot, 'examples/v1'), path.join(corpusRoot, 'examples/accelerate')]
    .flatMap((dir) => fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.yaml')).map((n) => path.join(dir, n)));
  assert.ok(others.length > 10);
  const got = others.flatMap((f) => check(contextFor(f, undefined, host)).map((d) => `${f}: ${String(d.code)}`));
  assert.deepEqual(got, []);
});
