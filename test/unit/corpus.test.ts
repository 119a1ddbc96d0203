// LLaMA-Factory's own examples launch, so they must get no error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configCountsByContent, sideFiles, v0Examples, v1Examples } from '../corpus';
import { estimateReport } from '../../server/src/service/memory/report';
import { analyzeText, corpusDir, fsHost } from '../helpers';

const host = fsHost([corpusDir]);
const run = (file: string, gpu = '') => analyzeText(readFileSync(file, 'utf8'), { host, configPath: file, settings: { gpu } });
const errors = (file: string, gpu = '') =>
  run(file, gpu).diagnostics.filter((d) => d.severity === 1).map((d) => `${path.relative(corpusDir, file)}:${d.range.start.line + 1} ${String(d.code)} ${String(d.message)}`);

test('the corpus has the expected files', () => {
  const expected = configCountsByContent();
  assert.equal(v0Examples().length, expected.v0);
  assert.equal(v1Examples().length, expected.v1);
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

test('every v1 example and every v0 training example gets a memory estimate', () => {
  for (const f of v1Examples()) assert.ok(estimateReport(run(f).context), f);
  const training = v0Examples().filter((f) => /train_(lora|full|qlora)/.test(f));
  const unknown = training.filter((f) => !estimateReport(run(f).context)).map((f) => path.basename(f));
  // MOSS-VL is in no catalog and its name carries no size; KTransformers runs keep experts on the CPU.
  assert.deepEqual(unknown.sort(), ['deepseek_v2_lora_sft_kt.yaml', 'deepseek_v3_int8_lora_sft_kt.yaml', 'deepseek_v3_lora_sft_kt.yaml', 'mossvl_full_sft.yaml', 'mossvl_lora_sft.yaml', 'qwen3_5moe_lora_sft_kt.yaml', 'qwen3moe_lora_sft_kt.yaml', 'qwen3vlmoe_lora_sft_kt.yaml']);
  assert.ok(training.length - unknown.length >= 17);
});

test('Accelerate configs and side files stay silent', () => {
  for (const f of sideFiles()) assert.deepEqual(run(f).diagnostics, [], f);
});
