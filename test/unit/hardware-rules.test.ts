import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import { resolveFixes } from '../../server/src/service/fixes';
import { hardwareRules, hardwareUndecidable } from '../../server/src/service/rules/hardware';
import { configCountsByContent, v0Examples } from '../corpus';
import { applyPreferredFix, check, comments, context, fixture, target } from './hardware-helpers';

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;

// [fixture, gpu id, count, expected code, severity, 0-based line]
const cases: [string, string, number, string, DiagnosticSeverity, number][] = [
  ['bf16-lora.yaml', 'v100-32gb', 1, 'hw-bf16-emulated', W, 9],
  ['bf16-lora.yaml', 't4', 1, 'hw-bf16-emulated', W, 9],
  ['bf16-lora.yaml', 'apple-m2', 1, 'hw-bf16-emulated', W, 9],
  ['pure-bf16.yaml', 't4', 1, 'hw-bf16-emulated', W, 4],
  ['tf32.yaml', 't4', 1, 'hw-tf32-unsupported', E, 5],
  ['tf32.yaml', 'mi300x', 1, 'hw-tf32-unsupported', E, 5],
  ['tf32.yaml', 'ascend-910b', 1, 'hw-tf32-unsupported', E, 5],
  ['fa2.yaml', 'v100-32gb', 1, 'hw-flash-attn-unsupported', E, 4],
  ['fa2.yaml', 't4', 1, 'hw-flash-attn-unsupported', E, 4],
  ['fa2.yaml', 'apple-m2', 1, 'hw-flash-attn-unsupported', W, 4],
  ['fa3.yaml', 'a100-80gb-sxm', 1, 'hw-flash-attn-unsupported', E, 4],
  ['fa3.yaml', 'rtx-3090', 1, 'hw-flash-attn-unsupported', E, 4],
  ['fa3.yaml', 'mi300x', 1, 'hw-flash-attn-unsupported', W, 4],
  ['fp8.yaml', 'a100-80gb-sxm', 1, 'hw-fp8-unsupported', E, 5],
  ['fp8.yaml', 'ascend-910b', 1, 'hw-fp8-unsupported', E, 5],
  ['qlora8.yaml', 'v100-32gb', 1, 'hw-bnb-int8-unsupported', W, 4],
  ['qlora4.yaml', 'apple-m2', 1, 'hw-bnb-limited', W, 4],
  ['qlora4.yaml', 'ascend-910b', 1, 'hw-bnb-limited', W, 4],
  ['qlora4.yaml', 'ascend-910b', 1, 'hw-bnb-npu-double-quant', W, 4],
  ['optim8bit.yaml', 'gaudi2', 1, 'hw-bnb-optim-unsupported', W, 4],
  ['fp16.yaml', 'gtx-1080-ti', 1, 'hw-fp16-slow', W, 4],
  ['fp16.yaml', 'a100-80gb-sxm', 1, 'hw-precision-hint', I, 4],
  ['fp32.yaml', 'rtx-3090', 1, 'hw-precision-hint', I, 3],
  ['fp32.yaml', 't4', 1, 'hw-precision-hint', I, 3],
  ['galore-layerwise.yaml', 'h100-sxm-80gb', 4, 'hw-layerwise-distributed', E, 5],
  ['deepspeed.yaml', 'a100-80gb-sxm', 1, 'hw-deepspeed-single-gpu', W, 4],
];

for (const [name, id, count, code, severity, line] of cases) {
  test(`${name} on ${id}: ${code}`, () => {
    const { doc } = fixture(name);
    const ctx = context(doc, target(id, count));
    const found = check(ctx).filter((d) => d.code === code);
    assert.equal(found.length, 1, JSON.stringify(check(ctx).map((d) => d.code)));
    assert.equal(found[0].severity, severity);
    assert.equal(found[0].range.start.line, line);
    if (!resolveFixes(ctx.doc, found[0]).length) return;
    const fixed = applyPreferredFix(ctx, found[0]);
    const again = parseConfig(doc.uri, fixed);
    const after = check(context(again, target(id, count)));
    assert.equal(after.filter((d) => d.code === code).length, 0, `fix leaves ${code}:\n${fixed}`);
    assert.equal(after.filter((d) => d.severity === E).length, 0, `fix leaves errors:\n${fixed}`);
    assert.deepEqual(comments(fixed), comments(doc.text), 'comments kept');
  });
}

test('bf16 on a T4 switches to fp16 in place, keeping the trailing comment', () => {
  const { doc } = fixture('bf16-lora.yaml');
  const ctx = context(doc, target('t4'));
  const fixed = applyPreferredFix(ctx, check(ctx)[0]);
  assert.match(fixed, /^fp16: true {2}# mixed precision$/m);
  assert.doesNotMatch(fixed, /bf16/);
});

test('fp32 on an RTX 3090 gets bf16 inserted after the training keys', () => {
  const { doc } = fixture('fp32.yaml');
  const ctx = context(doc, target('rtx-3090'));
  const fixed = applyPreferredFix(ctx, check(ctx)[0]);
  assert.match(fixed, /learning_rate: 1.0e-4\nbf16: true\n$/);
});

test('deepspeed on one GPU is silent with FORCE_TORCHRUN=1', () => {
  const { doc } = fixture('deepspeed.yaml');
  assert.equal(check(context(doc, target('a100-80gb-sxm'), '/tmp/c.yaml', { FORCE_TORCHRUN: '1' })).length, 0);
});

test('a detected count makes count checks warnings', () => {
  const { doc } = fixture('galore-layerwise.yaml');
  const d = check(context(doc, target('h100-sxm-80gb', 4, 'detected'))).find((x) => x.code === 'hw-layerwise-distributed');
  assert.equal(d?.severity, W);
});

// Configs in the precision the facts recommend for the GPU get nothing.
const recommended: [string, string][] = [
  ['bf16-lora.yaml', 'a100-80gb-sxm'], ['bf16-lora.yaml', 'h100-sxm-80gb'], ['bf16-lora.yaml', 'rtx-3090'],
  ['bf16-lora.yaml', 'mi300x'], ['bf16-lora.yaml', 'ascend-910b'], ['fp16.yaml', 't4'], ['fp16.yaml', 'v100-32gb'],
  ['fp16.yaml', 'apple-m2'], ['fa3.yaml', 'h100-sxm-80gb'], ['fp8.yaml', 'h100-sxm-80gb'],
  ['fp8.yaml', 'mi300x'], ['tf32.yaml', 'a100-80gb-sxm'], ['qlora4.yaml', 't4'], ['qlora8.yaml', 't4'],
  ['galore-layerwise.yaml', 'a100-80gb-sxm'], ['pure-bf16.yaml', 'h100-sxm-80gb'],
];
for (const [name, id] of recommended) {
  test(`${name} on ${id} gets nothing`, () => {
    assert.deepEqual(check(context(fixture(name).doc, target(id))).map((d) => d.code), []);
  });
}

test('fa2 is native on Ascend: only the bf16 hint for its fp16', () => {
  assert.deepEqual(check(context(fixture('fa2.yaml').doc, target('ascend-910b'))).map((d) => d.code), ['hw-precision-hint']);
});

test('hardware rules are silent without a target', () => {
  for (const name of fs.readdirSync(path.dirname(fixture('fp8.yaml').path))) {
    assert.deepEqual(check(context(fixture(name).doc, undefined)), [], name);
  }
});

test('every rule lists its codes; undecidable rows are not covered', () => {
  const covered = new Set(hardwareRules.flatMap((r) => r.covers));
  for (const id of Object.keys(hardwareUndecidable)) assert.ok(!covered.has(id), id);
  for (const r of hardwareRules) assert.ok(r.codes.length > 0 && r.codes.every((c) => c.startsWith('hw-')));
});

// The two FP8 examples need Ada/Hopper: on an A100 the fp8 error is a true positive.
const HOPPER_ONLY = new Set(['llama3_fp8_deepspeed_sft.yaml', 'llama3_fp8_fsdp_sft.yaml']);

for (const id of ['a100-80gb-sxm', 'h100-sxm-80gb']) {
  test(`the upstream v0 examples get no hardware error on ${id}`, () => {
    const files = v0Examples();
    assert.equal(files.length, configCountsByContent().v0);
    for (const file of files) {
      const doc = parseConfig(`file://${file}`, fs.readFileSync(file, 'utf8'));
      const errors = check(context(doc, target(id), file)).filter((d) => d.severity === E);
      const expected = id === 'a100-80gb-sxm' && HOPPER_ONLY.has(path.basename(file)) ? ['hw-fp8-unsupported'] : [];
      assert.deepEqual(errors.map((d) => d.code), expected, file);
    }
  });
}
