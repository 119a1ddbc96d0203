// Field-style mistakes (test/fixtures/field and LLaMA-Factory's examples with
// one mistake written into each): recall per kind, a real fix for the
// error-level ones, fixes that keep the file intact, and silence on the
// unmodified examples and on other tools' own configs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/document';
import { foreignKeys, foreignValue } from '../../server/src/service/schema/foreign';
import { keySchema } from '../../server/src/service/schema/schema';
import { v0Examples } from '../corpus';
import { fieldFixtures, measure, total, upstreamDerived } from '../field-corpus';
import { fixViolations, placeFor } from '../fix-roundtrip';
import { analyzeText, caret, fsHost, memoryHost } from '../helpers';

const FIELD_CODES = ['foreign-key', 'foreign-value', 'model-key-missing', 'python-float-for-int', 'python-none-string', 'python-comma-string-list', 'lora-target-not-in-model',
  'template-model-mismatch', 'fp16-on-bf16-model', 'dataset-corpus-under-sft'];

const pct = (n: number, d: number) => (d === 0 ? 1 : n / d);

test('field fixtures: every marked problem is found; recall per kind', (t) => {
  const tallies = measure(fieldFixtures());
  for (const [kind, tally] of tallies) t.diagnostic(`${kind}: recall ${tally.found}/${tally.problems}, real fix ${tally.fixed}/${tally.errors} error-level`);
  assert.deepEqual([...tallies.keys()].sort(), ['data-vs-stage', 'foreign-names', 'model-vs-config', 'python-types', 'recognition']);
  assert.deepEqual(total(tallies.values()).misses.filter((m) => m.endsWith('not found')), []);
});

test('field fixtures and upstream-derived configs: recall and fix rate per kind meet the targets', (t) => {
  const derived = measure(upstreamDerived());
  for (const [kind, tally] of derived) t.diagnostic(`upstream-derived ${kind}: recall ${tally.found}/${tally.problems}, real fix ${tally.fixed}/${tally.errors} error-level`);
  const all = total([total(measure(fieldFixtures()).values()), total(derived.values())]);
  t.diagnostic(`together: recall ${all.found}/${all.problems}, real fix ${all.fixed}/${all.errors}`);
  // The target: a real fix for at least 85 % of the error-level problems.
  assert.ok(pct(all.fixed, all.errors) >= 0.85, `${all.fixed}/${all.errors} error-level problems have a real fix`);
  for (const [kind, tally] of derived) assert.ok(pct(tally.found, tally.problems) >= 0.8, `${kind}: recall ${tally.found}/${tally.problems}`);
});

test('field fixtures: every fix keeps comments, order and the rest of the file, and clears its diagnostic', () => {
  for (const f of fieldFixtures()) {
    assert.deepEqual(fixViolations(f.text, '', placeFor(fsHost(), f.configPath)), [], f.name);
  }
});

test('the unmodified upstream examples get none of the field diagnostics', () => {
  const found: string[] = [];
  for (const file of v0Examples()) {
    const text = readFileSync(file, 'utf8');
    const a = placeFor(fsHost(), file).service.analyze({ uri: `file://${file}`, text, configPath: file }, { files: [], rules: {}, gpu: '', gpuCount: 1 });
    for (const d of a.diagnostics) if (FIELD_CODES.includes(String(d.code))) found.push(`${file}:${d.range.start.line + 1} ${String(d.code)}`);
  }
  assert.deepEqual(found, []);
});

test('a file full of LLaMA-Factory keys is a config without its model key; other tools\' configs stay silent', () => {
  const kind = (text: string) => parseConfig('file:///x.yaml', text).kind;
  assert.equal(kind('stage: sft\nfinetuning_type: lora\nlora_target: all\ncutoff_len: 2048\n'), 'llamafactory-v0');
  assert.equal(kind('model_name_or_pth: Qwen/Qwen3-4B\nstage: sft\ntemplate: qwen3\nlora_rank: 8\n'), 'llamafactory-v0');
  // An Axolotl config shares LoRA names and TrainingArguments with LLaMA-Factory, but none of its own keys.
  const axolotl = 'base_model: NousResearch/Llama-2-7b-hf\nload_in_4bit: true\nadapter: qlora\nlora_r: 32\nlora_alpha: 16\nlora_dropout: 0.05\n' +
    'sequence_len: 4096\nsample_packing: true\nmicro_batch_size: 2\nnum_epochs: 3\noutput_dir: ./out\nlearning_rate: 0.0002\nbf16: auto\n';
  assert.equal(kind(axolotl), 'other');
  assert.deepEqual(analyzeText(axolotl).diagnostics, []);
  // A TRL / PEFT training script's settings file.
  assert.equal(kind('model_name_or_path: gpt2\nr: 8\nlora_alpha: 16\ntarget_modules: [c_attn]\nmax_seq_length: 512\npacking: true\nlearning_rate: 2e-4\n'), 'other');
  // A CI file with a `stage:` key.
  assert.equal(kind('stage: build\nscript: make\ntemplate: ci\n'), 'other');
});

test('a config without any model key reports it missing; a misspelled one gets the rename', () => {
  const missing = analyzeText('stage: sft\ndo_train: true\nfinetuning_type: lora\nlora_target: all\ncutoff_len: 2048\n');
  assert.deepEqual(missing.diagnostics.filter((d) => d.code === 'model-key-missing').map((d) => d.range.start.line), [0]);
  const typo = analyzeText('model_name_or_pth: Qwen/Qwen3-4B\nstage: sft\ndo_train: true\nfinetuning_type: lora\ncutoff_len: 2048\n');
  assert.ok(typo.diagnostics.some((d) => d.code === 'unknown-key' && /model_name_or_path/.test(String(d.message))));
  assert.ok(!typo.diagnostics.some((d) => d.code === 'model-key-missing'));
});

test('the foreign-name table maps every name onto a LLaMA-Factory key and every word onto a valid value', () => {
  const own = new Set(['use_unsloth_gc']);
  for (const fk of foreignKeys()) {
    assert.ok(keySchema(fk.to) || own.has(fk.to), `${fk.key} → ${fk.to}`);
    assert.equal(keySchema(fk.key), undefined, `${fk.key} is a LLaMA-Factory key itself`);
    assert.match(fk.tool.doc, /^https:\/\//);
  }
  assert.deepEqual(foreignValue('flash_attn', 'flash_attention_2')?.to, 'fa2');
  assert.deepEqual(foreignValue('lr_scheduler_type', 'cosine'), undefined, 'a LLaMA-Factory word is not foreign');
  assert.deepEqual(foreignValue('quantization_bit', '4bit')?.to, 4);
});

test('fixes translate the value and say whether they keep the meaning', () => {
  const text = 'model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ndo_train: true\nadapter: qlora\nlora_r: 16\nlora_target_modules:\n  - q_proj\n  - v_proj\nwandb_project: demo\n';
  const a = analyzeText(text);
  const fix = (key: string) => {
    const d = a.diagnostics.find((x) => x.code === 'foreign-key' && String(x.message).startsWith(`\`${key}\``));
    assert.ok(d, key);
    return (d.data as { fixes: { title: string; safe: boolean; ops: unknown[] }[] }).fixes[0];
  };
  assert.deepEqual(fix('adapter').ops, [{ rename: 'adapter', to: 'finetuning_type', value: 'lora' }, { set: 'quantization_bit', value: 4, after: 'adapter' }]);
  assert.equal(fix('adapter').safe, true);
  assert.deepEqual(fix('lora_r').ops, [{ rename: 'lora_r', to: 'lora_rank' }]);
  assert.deepEqual(fix('lora_target_modules').ops, [{ rename: 'lora_target_modules', to: 'lora_target', value: 'q_proj,v_proj' }]);
  assert.equal(fix('wandb_project').safe, false, 'the project name has no LLaMA-Factory key');
  assert.ok(a.diagnostics.every((d) => d.code !== 'foreign-key' || d.severity === DiagnosticSeverity.Error));
});

test('hover on another tool\'s name or word says where it comes from and what LLaMA-Factory calls it', () => {
  const hoverAt = (textWithCaret: string) => {
    const { text, position } = caret(textWithCaret);
    const service = createLanguageService(memoryHost());
    const { context } = service.analyze({ uri: 'file:///w/c.yaml', text, configPath: '/w/c.yaml' }, defaultSettings);
    return (service.hover(context, position)?.contents as MarkupContent | undefined)?.value ?? '';
  };
  const base = 'model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ndo_train: true\n';
  const key = hoverAt(`${base}lora‸_r: 8\n`);
  assert.match(key, /^\*\*lora_r\*\* — the \[Axolotl\]\(https:\/\/docs\.axolotl\.ai\/[^)]*\) name for `lora_rank`/);
  assert.match(key, /\*\*lora_rank\*\*/, 'the LLaMA-Factory key is explained too');
  assert.match(hoverAt(`${base}flash_attn: eag‸er\n`), /the \[transformers\]\([^)]*\) word; LLaMA-Factory writes `flash_attn: disabled`/);
});
