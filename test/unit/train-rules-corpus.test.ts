// The 66 upstream v0 example configs are launchable: the train rules must not
// report a single error on them (warnings and hints are allowed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { check, checkFixes, contextFor, corpusRoot, fsHost, messageOf } from './train-rules-support';

/** Side files that are not LLaMA-Factory v0 configs. */
const SIDE = /(^|\/)accelerate\/|^examples\/v1\/|multi_tokens\/tokens_cfg\.yaml$/;

function examples(dir = path.join(corpusRoot, 'examples')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return examples(p);
    return e.name.endsWith('.yaml') && !SIDE.test(path.relative(corpusRoot, p)) ? [p] : [];
  });
}

test('the 66 upstream v0 examples get no errors', { skip: !fs.existsSync(corpusRoot) && 'corpus not found' }, () => {
  const files = examples();
  assert.equal(files.length, 66);
  const host = fsHost([corpusRoot]);
  const errors = files.flatMap((f) =>
    check(contextFor(f, undefined, host))
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${path.relative(corpusRoot, f)}:${d.range.start.line + 1} ${String(d.code)} ${messageOf(d)}`));
  assert.deepEqual(errors, []);
});

test('the DeepSpeed and dataset references of the examples resolve through the search root', { skip: !fs.existsSync(corpusRoot) && 'corpus not found' }, () => {
  const host = fsHost([corpusRoot]);
  const ds3 = contextFor(path.join(corpusRoot, 'examples/train_lora/qwen3_lora_sft_ds3.yaml'), undefined, host);
  const diags = check(ds3);
  assert.ok(!diags.some((d) => String(d.code).startsWith('deepspeed-') || String(d.code).startsWith('dataset-')), JSON.stringify(diags));
});

test('every fix offered on the upstream examples round-trips', { skip: !fs.existsSync(corpusRoot) && 'corpus not found' }, () => {
  const host = fsHost([corpusRoot]);
  const applied = examples().reduce((n, f) => n + checkFixes(contextFor(f, undefined, host)), 0);
  assert.ok(applied > 0);
});

test('v1 configs and Accelerate configs get nothing from the v0 rules', { skip: !fs.existsSync(corpusRoot) && 'corpus not found' }, () => {
  const host = fsHost([corpusRoot]);
  const others = [path.join(corpusRoot, 'examples/v1'), path.join(corpusRoot, 'examples/accelerate')]
    .flatMap((dir) => fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.yaml')).map((n) => path.join(dir, n)));
  assert.ok(others.length > 10);
  const got = others.flatMap((f) => check(contextFor(f, undefined, host)).map((d) => `${f}: ${String(d.code)}`));
  assert.deepEqual(got, []);
});
