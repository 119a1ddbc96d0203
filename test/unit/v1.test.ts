// v1 configs: the v1 schema, the v0/v1 confusion hints with their rename
// fixes, the v1 rules, hover and completion inside plugin blocks, and the
// mapping onto the estimator's v0 keys.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CompletionItem, Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/document';
import { applyEdits } from '../../server/src/service/edits';
import { ruleApplies, rules } from '../../server/src/service/rules';
import { v1Schema } from '../../server/src/service/schema/schema';
import { v1ToEstimatorConfig } from '../../server/src/service/v1/estimator-config';
import { factsDir } from '../vendored';
import { v1Examples } from '../corpus';
import { analyzeText, caret, codesByLine, fixturesDir, mainSettings, memoryHost } from '../helpers';

const fixture = (name: string) => readFileSync(path.join(fixturesDir, 'v1', name), 'utf8');
const messageAt = (ds: Diagnostic[], line: number) => String(ds.find((d) => d.range.start.line === line - 1)?.message);

/** The number of v1 keys the format facts announce (their `## Keys (N)` heading). */
function v1KeyCount(): number {
  const heading = /^## Keys \((\d+)\)/m.exec(readFileSync(path.join(factsDir, 'v1-format.md'), 'utf8'));
  assert.ok(heading, 'v1-format.md has a "## Keys (N)" heading');
  return Number(heading[1]);
}

test('the v1 schema has every key of the v1 format, each with our description', () => {
  assert.equal(v1Schema.keys.length, v1KeyCount());
  for (const [k, s] of Object.entries(v1Schema.properties)) assert.ok(s.markdownDescription.split('\n\n').length >= 2, `${k} lacks a description`);
  assert.deepEqual(v1Schema.properties.flash_attn.enum, ['eager', 'sdpa', 'flash_attention_2']);
  assert.equal(v1Schema.properties.bf16.default, true);
});

test('every v1 example is clean: no diagnostic of any severity', () => {
  for (const f of v1Examples()) {
    const a = analyzeText(readFileSync(f, 'utf8'), { configPath: f });
    assert.equal(a.kind, 'llamafactory-v1', f);
    assert.deepEqual(a.diagnostics.map((d) => `${d.code}: ${d.message}`), [], f);
  }
});

test('v0 keys in a v1 file name the v1 spelling, top-level and inside a plugin block', () => {
  const { diagnostics } = analyzeText(fixture('confusion-v1.yaml'));
  assert.deepEqual(codesByLine(diagnostics), ['7:unknown-key', '11:v0-key-in-v1', '12:v0-key-in-v1', '13:v0-key-in-v1', '14:v0-key-in-v1']);
  assert.match(messageAt(diagnostics, 7), /no `lora_rank` setting.*Did you mean `r`\?/);
  assert.match(messageAt(diagnostics, 11), /in a v1 config it is `micro_batch_size`/);
  assert.match(messageAt(diagnostics, 12), /`lora_alpha` inside the `peft_config:` block/);
  assert.match(messageAt(diagnostics, 13), /bf16/);
  assert.match(messageAt(diagnostics, 14), /v1 has no such setting/);
  assert.ok(diagnostics.every((d) => d.severity === 1));
});

test('v1 keys in a v0 file name the v0 spelling', () => {
  const { diagnostics } = analyzeText(fixture('confusion-v0.yaml'));
  const cross = diagnostics.filter((d) => d.code === 'v1-key-in-v0');
  assert.deepEqual(codesByLine(cross), ['6:v1-key-in-v0', '7:v1-key-in-v0', '9:v1-key-in-v0', '10:v1-key-in-v0']);
  assert.match(messageAt(cross, 6), /call it `per_device_train_batch_size`/);
  assert.match(messageAt(cross, 7), /flat keys: `finetuning_type`, `lora_rank`/);
  assert.match(messageAt(cross, 10), /`ddp_timeout`/);
});

test('plain renames are quick-fixes; the fixed files lose those errors and keep comments', () => {
  const renames = new Set(['unknown-key', 'v0-key-in-v1', 'v1-key-in-v0']);
  for (const [name, expected] of [['confusion-v1.yaml', ['r', 'micro_batch_size']], ['confusion-v0.yaml', ['per_device_train_batch_size', 'ddp_timeout']]] as const) {
    const a = analyzeText(fixture(name));
    const actions = a.diagnostics.filter((d) => renames.has(String(d.code))).flatMap((d) => a.service.codeActions(a.context, d.range, [d]).filter((x) => x.isPreferred));
    assert.deepEqual(actions.map((x) => x.title), expected.map((k) => `Change to \`${k}\``), name);
    const out = applyEdits(a.doc, actions.flatMap((x) => x.edit!.changes![a.doc.uri]));
    for (const k of expected) assert.match(out, new RegExp(`^\\s*${k}:`, 'm'));
    assert.match(out, /# v[01] name/);
    const remaining = (text: string) => analyzeText(text).diagnostics.filter((d) => renames.has(String(d.code))).length;
    assert.equal(remaining(out), remaining(fixture(name)) - expected.length, name);
  }
});

test('a rename that would duplicate an existing key is not offered', () => {
  const a = analyzeText('model: Qwen/Qwen3-4B\nmodel_class: llm\nmodel_name_or_path: x\n');
  const d = a.diagnostics.find((x) => x.code === 'v0-key-in-v1')!;
  assert.match(String(d.message), /`model`/);
  assert.deepEqual(a.service.codeActions(a.context, d.range, [d]).filter((x) => !x.title.startsWith('Disable')), []);
});

test('v1 rules: padding-free and context parallelism need FlashAttention-2, no scheduler plugin, optim lr ignored', () => {
  const a = analyzeText(fixture('rules.yaml'));
  assert.deepEqual(codesByLine(a.diagnostics), ['8:v1-optim-lr', '9:v1-lr-scheduler', '11:v1-padding-free-attention', '12:v1-context-parallel', '12:v1-context-parallel']);
  const fix = (code: string) => {
    const d = a.diagnostics.find((x) => x.code === code)!;
    return applyEdits(a.doc, a.service.codeActions(a.context, d.range, [d]).find((x) => x.isPreferred)!.edit!.changes![a.doc.uri]);
  };
  assert.match(fix('v1-padding-free-attention'), /\nflash_attn: flash_attention_2\n$/);
  assert.doesNotMatch(fix('v1-lr-scheduler'), /lr_scheduler_config|cosine/);
});

test('v1 rules and schema: dynamic batching, expert parallel size, merge, quantization bits, kernel names', () => {
  const a = analyzeText(fixture('dynamic.yaml'));
  assert.deepEqual(codesByLine(a.diagnostics), ['5:v1-ep-size', '7:v1-dynamic-batching', '8:v1-dynamic-batching', '11:v1-merge-incomplete', '14:invalid-choice', '16:invalid-choice']);
  assert.match(messageAt(a.diagnostics, 16), /"liger".*Did you mean `liger_kernel`\?/);
  assert.equal(a.diagnostics.find((d) => d.code === 'v1-ep-size')!.range.start.character, 2);
});

test('a plugin block without name, or deepspeed without its config file, is an error on the block key', () => {
  const a = analyzeText('model: m\nmodel_class: llm\npeft_config:\n  r: 8\ndist_config:\n  name: deepspeed\n');
  assert.deepEqual(codesByLine(a.diagnostics), ['3:plugin-missing-key', '5:plugin-missing-key']);
  assert.match(messageAt(a.diagnostics, 5), /needs `config_file`/);
});

test('rules declare their formats: v0 rules skip v1 files and v1 rules skip v0 files', () => {
  const v1Only = rules.filter((r) => ruleApplies(r, 'llamafactory-v1'));
  assert.ok(v1Only.length >= 6);
  assert.ok(v1Only.every((r) => !ruleApplies(r, 'llamafactory-v0')));
  assert.ok(rules.filter((r) => ruleApplies(r, 'llamafactory-v0')).length > 20);
  // A v0-only check (tf32 on a T4) stays silent on a v1 file.
  const a = analyzeText('model: m\nmodel_class: llm\ncp_size: 1\n', { settings: { gpu: 't4' } });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 1), []);
});

function at(textWithCaret: string) {
  const { text, position } = caret(textWithCaret);
  const service = createLanguageService(memoryHost());
  const { doc, context } = service.analyze({ uri: 'file:///w/c.yaml', text, configPath: '/w/c.yaml' }, mainSettings);
  return { service, doc, context, position };
}
const hoverText = (s: string) => { const x = at(s); return (x.service.hover(x.context, x.position)?.contents as MarkupContent | undefined)?.value; };
const labels = (s: string) => { const x = at(s); return x.service.complete(x.doc, x.position, '/w/c.yaml').map((i: CompletionItem) => i.label); };
const V1 = 'model: Qwen/Qwen3-4B\nmodel_class: llm\n';

test('hover in v1 files: top-level keys and plugin sub-keys', () => {
  assert.match(hoverText(`${V1}micro_bat‸ch_size: 2\n`)!, /^\*\*micro_batch_size\*\* — v1 LLaMA-Factory training argument/);
  assert.match(hoverText(`${V1}micro_bat‸ch_size: 2\n`)!, /Default: `1`/);
  const sub = hoverText(`${V1}peft_config:\n  name: lora\n  ‸r: 16\n`)!;
  assert.match(sub, /^\*\*peft_config\.r\*\* — setting of the `peft_config` block \(`name: lora`\)/);
  assert.match(sub, /Default: `8`/);
  assert.match(hoverText(`${V1}dist_config:\n  name: fsdp2\n  dcp_path: nu‸ll\n`)!, /dist_config\.dcp_path/);
  assert.match(hoverText(`${V1}dist_config:\n  na‸me: fsdp2\n`)!, /Choices: `fsdp2`, `fsdpturbo`, `deepspeed`/);
});

test('completion in v1 files: v1 keys, values, and sub-keys of the plugin block for its name', () => {
  const keys = labels(`${V1}mi‸\n`);
  assert.ok(keys.includes('micro_batch_size'));
  assert.ok(!keys.includes('per_device_train_batch_size'));
  assert.ok(!keys.includes('model_class'));
  assert.deepEqual(labels(`${V1}flash_attn: ‸\n`), ['eager', 'sdpa', 'flash_attention_2']);
  const lora = labels(`${V1}peft_config:\n  name: lora\n  r: 8\n  ‸\n`);
  assert.ok(lora.includes('lora_alpha') && lora.includes('target_modules'));
  assert.ok(!lora.includes('r') && !lora.includes('freeze_trainable_layers'));
  assert.deepEqual(labels(`${V1}dist_config:\n  name: ‸\n`), ['fsdp2', 'fsdpturbo', 'deepspeed']);
  assert.deepEqual(labels(`${V1}kernel_config:\n  name: auto, li‸\n`).slice(0, 2), ['auto', 'liger_kernel']);
  assert.deepEqual(labels(`${V1}quant_config:\n  name: bnb\n  quantization_bit: ‸\n`), ['4', '8']);
});

test('v1ToEstimatorConfig maps v1 keys onto the v0 keys the estimator reads', () => {
  const qlora = parseConfig('file:///q.yaml', readFileSync(v1Examples().find((f) => f.endsWith('quantization.yaml'))!, 'utf8'));
  assert.deepEqual(v1ToEstimatorConfig(qlora), {
    model_name_or_path: 'Qwen/Qwen3-0.6B', stage: 'sft', do_train: true, per_device_train_batch_size: 1, cutoff_len: 2048, bf16: true,
    disable_gradient_checkpointing: false, trust_remote_code: false, flash_attn: 'sdpa', finetuning_type: 'lora', lora_rank: 16, lora_alpha: 32,
    lora_dropout: 0.05, lora_target: 'all', quantization_bit: 4, fsdp: 'full_shard',
  });
  const ds = parseConfig('file:///d.yaml', `${V1}micro_batch_size: 4\nbf16: false\nflash_attn: flash_attention_2\nenable_activation_checkpointing: false\ndist_config:\n  name: deepspeed\n  config_file: ds_z3.json\nkernel_config:\n  name: auto, liger_kernel\n`);
  const m = v1ToEstimatorConfig(ds);
  assert.equal(m.finetuning_type, 'full');
  assert.equal(m.deepspeed, 'ds_z3.json');
  assert.equal(m.per_device_train_batch_size, 4);
  assert.equal(m.bf16, false);
  assert.equal(m.flash_attn, 'fa2');
  assert.equal(m.disable_gradient_checkpointing, true);
  assert.equal(m.enable_liger_kernel, true);
  assert.equal(m.model_name_or_path, 'Qwen/Qwen3-4B');
  assert.equal(v1ToEstimatorConfig(parseConfig('file:///e.yaml', 'model_class: llm\npeft_config: \'{"name": "freeze", "freeze_trainable_layers": 4}\'\n')).freeze_trainable_layers, 4);
});
