// "New LLaMA-Factory Config": the composed config lints without errors and
// its estimate fits the chosen GPU.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { newConfig, templateFor } from '../../server/src/service/features/new-config';
import { SUGGESTED_MODELS } from '../../server/src/service/features/new-config-choices';
import type { NewConfigParams } from '../../server/src/service/features/new-config';
import { estimateReport } from '../../server/src/service/memory/report';
import { resolveModel } from '../../server/src/service/models/resolve';
import { analyzeText, fixturesDir, memoryHost } from '../helpers';

const configPath = '/work/project/new-config.yaml';
// Where the config is launched from, LLaMA-Factory's example DeepSpeed files are at hand.
const host = memoryHost({
  '/work/project/examples/deepspeed/ds_z3_config.json': readFileSync(path.join(fixturesDir, 'train-rules/checkout/examples/deepspeed/ds_z3_config.json'), 'utf8'),
});

function compose(params: NewConfigParams) {
  const result = newConfig(host, params, configPath);
  const a = analyzeText(result.text, { host, configPath });
  const errors = a.diagnostics.filter((d) => d.severity === 1 || d.code === 'unknown-key').map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`);
  return { result, a, errors, report: estimateReport(a.context) };
}

const cases: [string, NewConfigParams][] = [
  ['Llama-3-8B LoRA on an RTX 4090', { model: 'meta-llama/Meta-Llama-3-8B-Instruct', method: 'lora', gpu: 'rtx-4090', gpus: 1 }],
  ['Qwen2.5-7B QLoRA on an RTX 3060 12GB', { model: 'Qwen/Qwen2.5-7B-Instruct', method: 'qlora', gpu: 'rtx-3060-12gb', gpus: 1 }],
  ['Qwen2.5-1.5B full on an A100 80GB', { model: 'Qwen/Qwen2.5-1.5B-Instruct', method: 'full', gpu: 'a100-80gb-sxm', gpus: 1 }],
  ['Qwen3-4B freeze on an L4', { model: 'Qwen/Qwen3-4B-Instruct-2507', method: 'freeze', gpu: 'l4', gpus: 1 }],
  ['Qwen2.5-1.5B LoRA on a T4 (fp16)', { model: 'Qwen/Qwen2.5-1.5B-Instruct', method: 'lora', gpu: 't4', gpus: 1 }],
];

for (const [name, params] of cases) {
  test(`${name}: lints with zero errors and fits`, () => {
    const { result, a, errors, report } = compose(params);
    assert.equal(a.kind, 'llamafactory-v0');
    assert.deepEqual(errors, []);
    assert.equal(a.context.target?.gpu.id, params.gpu);
    assert.equal(report?.fits, true, `${report?.deviceGiB} GiB of ${report?.usableGiB}`);
    assert.equal(result.fits, true);
    assert.equal(result.deviceGiB, report?.deviceGiB);
  });
}

test('the config names the model, template, method and precision the GPU supports', () => {
  const lora = compose(cases[0][1]).result.text;
  assert.match(lora, /^# llamafactory-gpu: rtx-4090\n/);
  assert.match(lora, /[^\n]\n$/, 'one newline at the end');
  assert.match(lora, /^model_name_or_path: meta-llama\/Meta-Llama-3-8B-Instruct$/m);
  assert.match(lora, /^template: llama3$/m);
  assert.match(lora, /^finetuning_type: lora$/m);
  assert.match(lora, /^bf16: true$/m);
  assert.match(lora, /^output_dir: saves\/meta-llama-3-8b-instruct\/lora\/sft$/m);
  const t4 = compose(cases[4][1]).result.text;
  assert.match(t4, /^fp16: true$/m);
  assert.doesNotMatch(t4, /^bf16:/m);
  const qlora = compose(cases[1][1]).result.text;
  assert.match(qlora, /^quantization_bit: 4$/m);
  const full = compose(cases[2][1]).result.text;
  assert.match(full, /^finetuning_type: full$/m);
  assert.doesNotMatch(full, /^deepspeed:/m, 'no ZeRO-3 on one GPU');
  const freeze = compose(cases[3][1]).result.text;
  assert.match(freeze, /^finetuning_type: freeze$/m);
  assert.doesNotMatch(freeze, /^lora_/m);
});

test('a config that does not fit as preset gets the cheapest fit-to-GPU change', () => {
  const { result, errors, report } = compose({ model: 'meta-llama/Meta-Llama-3-8B-Instruct', method: 'lora', gpu: 'rtx-3060-12gb', gpus: 1 });
  assert.ok(result.applied, 'a change was needed');
  assert.deepEqual(errors, []);
  assert.equal(report?.fits, true);
});

test('several GPUs are written into the directive', () => {
  const { result, a, errors, report } = compose({ model: 'Qwen/Qwen2.5-7B-Instruct', method: 'full', gpu: 'a100-80gb-sxm', gpus: 4 });
  assert.match(result.text, /^# llamafactory-gpu: a100-80gb-sxm x4\n/);
  assert.deepEqual(errors, []);
  assert.equal(report?.fits, true);
  assert.equal(result.applied, null, 'ZeRO-3 across four GPUs fits as preset');
  assert.equal(a.context.target?.count, 4);
  assert.match(result.text, /^deepspeed: examples\/deepspeed\/ds_z3_config\.json$/m);
});

test('a model too large for the GPU is reported as not fitting', () => {
  const { result } = compose({ model: 'meta-llama/Meta-Llama-3.1-405B', method: 'full', gpu: 'rtx-3060-12gb', gpus: 1 });
  assert.equal(result.fits, false);
  assert.ok(result.text.includes('model_name_or_path: meta-llama/Meta-Llama-3.1-405B'));
});

test('without the DeepSpeed files at hand, the estimate still counts the ZeRO stage the config names', () => {
  const result = newConfig(memoryHost(), { model: 'Qwen/Qwen2.5-7B-Instruct', method: 'full', gpu: 'a100-80gb-sxm', gpus: 4 }, configPath);
  assert.equal(result.fits, true);
  assert.equal(result.applied, null);
});

test('an unknown GPU is refused', () => {
  assert.throws(() => newConfig(host, { model: 'Qwen/Qwen2.5-7B', method: 'lora', gpu: 'no-such-card', gpus: 1 }, configPath), /unknown GPU/);
});

test('suggested models are in the model catalog and their templates exist', () => {
  for (const m of SUGGESTED_MODELS) assert.equal(resolveModel(m.id, '/work/project', host)?.source, 'catalog', m.id);
  assert.equal(templateFor('Qwen/Qwen3-14B'), 'qwen3');
  assert.equal(templateFor('someone/Llama-3.1-70B-Instruct-abliterated'), 'llama3');
  assert.equal(templateFor('./my-model'), 'default');
});
