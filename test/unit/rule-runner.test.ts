// The runner turns findings into diagnostics the same way for every rule:
// gating by kind and command, placement, related keys, fix data, and a rule
// that throws costing only its own findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisContext } from '../../server/src/service/context';
import { parseConfig } from '../../server/src/service/document';
import { applyEdits } from '../../server/src/service/edits';
import { resolveFixes } from '../../server/src/service/fixes';
import { defineRule, ERROR, WARNING } from '../../server/src/service/rules/rule';
import type { Finding } from '../../server/src/service/rules/rule';
import { runRules } from '../../server/src/service/rules/run';
import { defaultSettings } from '../../server/src/service/types';
import { memoryHost } from '../helpers';

const TEXT = 'model_name_or_path: m  # keep\nstage: sft\ndo_train: true\nreport_to:\n  - wandb\nbf16: true\n';

function ctxOf(text = TEXT): AnalysisContext {
  return { doc: parseConfig('file:///c.yaml', text), configPath: '/c.yaml', host: memoryHost(), settings: defaultSettings, target: undefined };
}

const finding = (over: Partial<Finding>): Finding => ({ code: 'x', severity: ERROR, at: 'bf16', message: 'm', ...over });
const run = (f: Finding | Finding[], ctx = ctxOf()) => runRules([defineRule({ codes: ['x'], check: () => f })], ctx, 'llamafactory-v0');

test('a finding goes on its key, or on the value when that is on the key line', () => {
  assert.deepEqual(run(finding({})).map((d) => d.range), [{ start: { line: 5, character: 0 }, end: { line: 5, character: 4 } }]);
  assert.deepEqual(run(finding({ onValue: true }))[0].range.start, { line: 5, character: 6 });
  // A block value (a list on the next lines) is flagged at its key.
  assert.deepEqual(run(finding({ at: 'report_to', onValue: true }))[0].range.start, { line: 3, character: 0 });
});

test('the first written of several keys is used, the others are linked, unwritten keys drop the finding', () => {
  const [d] = run(finding({ at: ['fp16', 'stage', 'do_train'], related: ['bf16', { key: 'report_to', message: 'loggers' }, 'tf32'] }));
  assert.equal(d.range.start.line, 1);
  assert.deepEqual(d.relatedInformation?.map((r) => [r.location.range.start.line, r.message]), [
    [2, '`do_train: true` is set here.'],
    [5, '`bf16: true` is set here.'],
    [3, 'loggers'],
  ]);
  assert.deepEqual(run(finding({ at: ['fp16', 'tf32'] })), []);
});

test('fixes travel as data and become comment-keeping edits; a fix that no longer fits is not offered', () => {
  const ctx = ctxOf();
  const [d] = run(finding({ fixes: [
    { title: 'off', ops: [{ set: 'bf16', value: false }], preferred: true },
    { title: 'gone', ops: [{ remove: 'fp16' }] },
    undefined,
  ] }), ctx);
  assert.deepEqual((d.data as { fixes: { title: string }[] }).fixes.map((f) => f.title), ['off', 'gone']);
  const fixes = resolveFixes(ctx.doc, d);
  assert.deepEqual(fixes.map((f) => [f.title, f.isPreferred]), [['off', true]]);
  assert.equal(applyEdits(ctx.doc, fixes[0].edits), TEXT.replace('bf16: true', 'bf16: false'));
});

test('rules run only for their kinds and commands', () => {
  const ctx = ctxOf();
  const only = (appliesTo: Parameters<typeof defineRule>[0]['appliesTo']) =>
    runRules([defineRule({ codes: ['x'], appliesTo, check: () => finding({ severity: WARNING }) })], ctx, 'llamafactory-v0').length;
  assert.equal(only(undefined), 1);
  assert.equal(only({ kinds: ['llamafactory-v1'] }), 0);
  assert.equal(only({ commands: ['train'] }), 1);
  assert.equal(only({ commands: ['export'] }), 0);
});

test('a rule that throws gives one internal-error note and the other rules still report', () => {
  const broken = defineRule({ codes: ['broken'], check: () => { throw new Error('boom'); } });
  const fine = defineRule({ codes: ['x'], check: () => finding({}) });
  const out = runRules([broken, fine], ctxOf(), 'llamafactory-v0');
  assert.deepEqual(out.map((d) => d.code), ['internal-error', 'x']);
  assert.match(String(out[0].message), /broken.*boom/);
});
