import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../server/src/service/document';
import { applyEdits } from '../../server/src/service/edits';
import { analyzeText, codesByLine, fixturesDir } from '../helpers';

const SCHEMA_CODES = new Set(['unknown-key', 'duplicate-key', 'type-mismatch', 'string-boolean', 'string-number', 'invalid-choice', 'internal-key', 'requires-env', 'deprecated-key']);
const schemaOnly = <T extends { code?: unknown }>(ds: T[]) => ds.filter((d) => SCHEMA_CODES.has(String(d.code)));
const fixture = (name: string) => readFileSync(path.join(fixturesDir, 'core', name), 'utf8');

test('misspelled keys, wrong types, bad choices and string booleans are reported on their lines', () => {
  const { diagnostics } = analyzeText(fixture('typos.yaml'));
  assert.deepEqual(codesByLine(schemaOnly(diagnostics)), [
    '9:unknown-key',
    '18:unknown-key',
    '20:string-number',
    '22:invalid-choice',
    '23:string-boolean',
    '25:type-mismatch',
  ]);
  const byCode = (c: string) => diagnostics.find((d) => d.code === c)!;
  assert.match(String(byCode('string-boolean').message), /non-empty string as true/);
  assert.match(String(diagnostics.find((d) => d.range.start.line === 17)!.message), /per_device_train_batch_size/);
  assert.match(String(byCode('invalid-choice').message), /Did you mean `cosine`/);
});

test('the value range is used for value errors and the key range for key errors', () => {
  const { diagnostics } = analyzeText(fixture('typos.yaml'));
  const sb = diagnostics.find((d) => d.code === 'string-boolean')!;
  assert.deepEqual(sb.range, { start: { line: 22, character: 6 }, end: { line: 22, character: 13 } });
  const uk = diagnostics.find((d) => d.code === 'unknown-key')!;
  assert.deepEqual(uk.range, { start: { line: 8, character: 0 }, end: { line: 8, character: 9 } });
});

test('each did-you-mean and value fix applies cleanly and keeps comments', () => {
  const text = fixture('typos.yaml');
  const a = analyzeText(text);
  let fixed = 0;
  for (const d of schemaOnly(a.diagnostics)) {
    const actions = a.service.codeActions(a.context, d.range, [d]).filter((x) => !x.title.startsWith('Disable'));
    if (actions.length === 0) continue;
    const edits = actions[0].edit!.changes![a.doc.uri];
    const out = applyEdits(a.doc, edits);
    const after = analyzeText(out);
    assert.ok(!after.diagnostics.some((x) => x.code === d.code && x.range.start.line === d.range.start.line), `${d.code} remains after its fix`);
    assert.match(out, /# misspelled/);
    assert.equal(out.split('\n').length, text.split('\n').length);
    fixed++;
  }
  assert.equal(fixed, 5);
});

test('duplicate keys are errors pointing at the first occurrence', () => {
  const { diagnostics } = analyzeText(fixture('duplicates.yaml'));
  const dup = diagnostics.find((d) => d.code === 'duplicate-key')!;
  assert.equal(dup.range.start.line, 7);
  assert.equal(dup.relatedInformation![0].location.range.start.line, 5);
});

test('a nested value error points at the list item', () => {
  const { diagnostics } = analyzeText('model_name_or_path: x\nstage: sft\ninterleave_probs:\n  - 0.5\n  - half\n');
  const d = diagnostics.find((x) => x.code === 'type-mismatch')!;
  assert.equal(d.range.start.line, 4);
  assert.equal(d.range.start.character, 4);
});

test('keys that need an environment variable or are computed get their own message', () => {
  const { diagnostics } = analyzeText('model_name_or_path: x\nstage: sft\ncompute_dtype: bf16\ntensor_model_parallel_size: 2\n');
  assert.deepEqual(codesByLine(schemaOnly(diagnostics)), ['3:internal-key', '4:requires-env']);
  assert.equal(diagnostics.find((d) => d.code === 'requires-env')!.severity, 2);
});

test('comma-separated keys take lists only where LLaMA-Factory accepts them', () => {
  const ok = analyzeText('model_name_or_path: x\nstage: sft\nlora_target: [q_proj, v_proj]\ndataset: [a, b]\n');
  assert.deepEqual(schemaOnly(ok.diagnostics), []);
  const bad = analyzeText('model_name_or_path: x\nstage: sft\nadapter_name_or_path: [a, b]\n');
  assert.deepEqual(codesByLine(schemaOnly(bad.diagnostics)), ['3:type-mismatch']);
});

test('disable comments and severity settings apply', () => {
  const text = 'model_name_or_path: x\nstage: sft\n# llamafactory-disable-next-line unknown-key\nlora_rnak: 8\nfoo_bar: 1\n';
  assert.deepEqual(codesByLine(schemaOnly(analyzeText(text).diagnostics)), ['5:unknown-key']);
  assert.deepEqual(schemaOnly(analyzeText(`# llamafactory-disable unknown-key\n${text}`).diagnostics), []);
  const warned = analyzeText(text, { settings: { rules: { 'unknown-key': 'warning' } } });
  assert.equal(schemaOnly(warned.diagnostics)[0].severity, 2);
  assert.deepEqual(schemaOnly(analyzeText(text, { settings: { rules: { 'unknown-key': 'off' } } }).diagnostics), []);
});

test('the disable actions insert a comment that silences the diagnostic', () => {
  const text = 'model_name_or_path: x\nstage: sft\nlora_rnak: 8\n';
  const a = analyzeText(text);
  const d = a.diagnostics.find((x) => x.code === 'unknown-key')!;
  for (const title of ['Disable unknown-key for this line', 'Disable unknown-key in this file']) {
    const action = a.service.codeActions(a.context, d.range, [d]).find((x) => x.title === title)!;
    const out = applyEdits(parseConfig(a.doc.uri, text), action.edit!.changes![a.doc.uri]);
    assert.ok(!analyzeText(out).diagnostics.some((x) => x.code === 'unknown-key'), title);
  }
});

test('fix all with unsafe fixes on combines the preferred fixes', () => {
  const a = analyzeText(fixture('typos.yaml'), { settings: { unsafeFixes: true } });
  const all = a.service.codeActions(a.context, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, a.diagnostics, ['source.fixAll']);
  assert.equal(all.length, 1);
  const out = applyEdits(a.doc, all[0].edit!.changes![a.doc.uri]);
  const left = codesByLine(schemaOnly(analyzeText(out).diagnostics));
  assert.deepEqual(left, ['25:type-mismatch']);
});

test('fix all applies only safe fixes unless llamafactory.unsafeFixes is on, as --fix and --fix --unsafe', () => {
  // A misspelt key (its rename is safe) and Axolotl's `one_cycle` schedule (LLaMA-Factory's `cosine` is only close: not safe).
  const text = 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\nper_device_train_bacth_size: 2\nlr_scheduler_type: one_cycle\n';
  const fixedWith = (settings: { unsafeFixes?: boolean }) => {
    const a = analyzeText(text, { settings });
    const [all] = a.service.codeActions(a.context, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, a.diagnostics, ['source.fixAll']);
    return applyEdits(a.doc, all.edit!.changes![a.doc.uri]);
  };
  assert.equal(fixedWith({}), text.replace('bacth', 'batch'));
  // With unsafe fixes on, the other preferred fixes (bf16, report_to) apply as well.
  const all = fixedWith({ unsafeFixes: true });
  for (const line of ['per_device_train_batch_size: 2', 'lr_scheduler_type: cosine', 'bf16: true', 'report_to: none']) assert.ok(all.includes(`${line}\n`), `${line} in\n${all}`);
});

test('a disable comment is not offered where it would break the YAML (found by the long fuzz run)', () => {
  // The `yaml` package rejects a comment line before a flow-collection key followed by an over-long value.
  const text = `model_name_or_path: Qwen/Qwen3.5-4B\r\n[]: ${'x'.repeat(1100)}\r\nstage: sft\r\n`;
  const a = analyzeText(text);
  for (const d of a.diagnostics) {
    for (const action of a.service.codeActions(a.context, d.range, [d])) {
      const out = applyEdits(a.doc, action.edit!.changes![a.doc.uri]);
      assert.ok(parseConfig(a.doc.uri, out).problems.filter((p) => p.code === 'yaml-syntax').length <= a.doc.problems.filter((p) => p.code === 'yaml-syntax').length, action.title);
    }
  }
  const keyDiagnostic = a.diagnostics.find((d) => d.range.start.line === 1)!;
  assert.ok(!a.service.codeActions(a.context, keyDiagnostic.range, [keyDiagnostic]).some((x) => x.title.includes('for this line')));
});

test('past 100 duplicates, the message alone names the first occurrence (pasted-together files stay fast to publish)', () => {
  const text = ['model_name_or_path: m', 'stage: sft', ...Array.from({ length: 150 }, (_, i) => `stage: s${i}`)].join('\n');
  const dups = analyzeText(text).diagnostics.filter((d) => d.code === 'duplicate-key');
  assert.equal(dups.length, 150);
  assert.equal(dups.filter((d) => d.relatedInformation?.[0].location.range.start.line === 1).length, 100);
  assert.ok(dups.slice(100).every((d) => d.relatedInformation === undefined && String(d.message).includes('line 2')));
});
