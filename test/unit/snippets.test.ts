// Every snippet, expanded with its default placeholders, is a complete v0
// config that lints without errors or unknown keys, with no GPU target and on
// an A100 (and the fp16 preset on a T4, the GPU it is meant for).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { expandSnippet as expand, PRESETS } from '../../server/src/service/presets';
import { analyzeText, memoryHost, repoRoot } from '../helpers';

interface Snippet {
  scope: string;
  prefix: string;
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(path.join(repoRoot, 'snippets/llamafactory.code-snippets'), 'utf8')) as Record<string, Snippet>;

const configPath = '/work/project/config.yaml';
// The ZeRO-3 snippet names DeepSpeed's JSON from LLaMA-Factory's examples folder; give it one.
const host = memoryHost({
  '/work/project/examples/deepspeed/ds_z3_config.json': JSON.stringify({
    train_batch_size: 'auto', train_micro_batch_size_per_gpu: 'auto', gradient_accumulation_steps: 'auto', gradient_clipping: 'auto',
    bf16: { enabled: 'auto' }, fp16: { enabled: 'auto' },
    zero_optimization: { stage: 3, overlap_comm: false, contiguous_gradients: true, stage3_gather_16bit_weights_on_model_save: true },
  }),
});

function problems(name: string, gpu: string): string[] {
  const a = analyzeText(expand(snippets[name].body), { host, configPath, settings: { gpu } });
  assert.equal(a.kind, 'llamafactory-v0', name);
  return a.diagnostics
    .filter((d) => d.severity === 1 || d.code === 'unknown-key' || d.code === 'deprecated-key')
    .map((d) => `${name} [${gpu || 'no gpu'}] ${d.range.start.line + 1}: ${String(d.code)} ${d.message}`);
}

test('the snippets cover the common jobs and the four presets', () => {
  const names = Object.keys(snippets);
  // The common jobs: LoRA, QLoRA and full (ZeRO-3) SFT, DPO and pre-training.
  const bodies = Object.values(snippets).map((s) => s.body.join('\n'));
  for (const job of [/stage: sft[^]*finetuning_type: lora/, /quantization_bit: 4/, /finetuning_type: full[^]*deepspeed: .*ds_z3/, /stage: dpo/, /stage: pt/]) {
    assert.ok(bodies.some((b) => job.test(b)), `a snippet for ${job}`);
  }
  assert.equal(names.filter((n) => n.startsWith('LLaMA-Factory preset:')).length, 4);
  for (const s of Object.values(snippets)) {
    assert.equal(s.scope, 'yaml');
    assert.match(s.prefix, /^lf-/);
    assert.ok(s.description.length > 20);
  }
  assert.equal(new Set(Object.values(snippets).map((s) => s.prefix)).size, names.length);
});

test('the snippets file is the presets module with the yaml scope', () => {
  assert.deepEqual(Object.keys(snippets), Object.keys(PRESETS));
  for (const [name, p] of Object.entries(PRESETS)) assert.deepEqual(snippets[name], { scope: 'yaml', ...p });
});

test('placeholder expansion keeps defaults and drops bare tab stops', () => {
  assert.equal(expand(['a: ${1:x}', 'b: ${2|sigmoid,orpo|}', '$0']), 'a: x\nb: sigmoid\n\n');
});

test('every snippet lints clean with no GPU target and on an A100', () => {
  const found = Object.keys(snippets).flatMap((n) => [...problems(n, ''), ...problems(n, 'a100-80gb-sxm')]);
  assert.deepEqual(found, []);
});

test('the memory-constrained preset lints clean on a T4', () => {
  assert.deepEqual(problems('LLaMA-Factory preset: memory-constrained', 't4'), []);
});

test('the presets set what they promise', () => {
  const text = (n: string) => expand(snippets[n].body);
  const safe = text('LLaMA-Factory preset: first-time safe');
  assert.match(safe, /^bf16: true$/m);
  assert.match(safe, /^tf32: true$/m);
  // Checkpointing is LLaMA-Factory's default: the preset does not write the key.
  assert.doesNotMatch(safe, /gradient_checkpointing/);
  const low = text('LLaMA-Factory preset: memory-constrained');
  assert.match(low, /^fp16: true$/m);
  assert.match(low, /^per_device_train_batch_size: 1$/m);
  assert.match(low, /^gradient_accumulation_steps: 8$/m);
  const fast = text('LLaMA-Factory preset: A100/H100 high throughput');
  assert.match(fast, /^flash_attn: fa2$/m);
  assert.match(fast, /^neat_packing: true$/m);
  const research = text('LLaMA-Factory preset: research (fp32, frequent evaluation)');
  assert.doesNotMatch(research, /^(bf16|fp16|pure_bf16):/m);
  assert.match(research, /^eval_strategy: steps$/m);
});
