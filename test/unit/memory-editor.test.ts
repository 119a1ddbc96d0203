// The estimate as the editor shows it: lens, inlay hint with the breakdown,
// the out-of-memory warning and fit-to-GPU fixes that really fit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/edits';
import { estimateReport } from '../../server/src/service/memory/report';
import { analyzeText, fixturesDir } from '../helpers';

const file = path.join(fixturesDir, 'memory', 'llama3-8b-lora-4090.yaml');
const text = readFileSync(file, 'utf8');

test('an 8B LoRA config with batch 8 on an RTX 4090 gets an OOM warning at the dominant key', () => {
  const a = analyzeText(text, { configPath: file });
  const oom = a.diagnostics.filter((d) => d.code === 'memory-exceeds-gpu');
  assert.equal(oom.length, 1);
  assert.equal(oom[0].severity, 2);
  const report = estimateReport(a.context)!;
  assert.equal(report.fits, false);
  assert.equal(report.gpu!.id, 'rtx-4090');
  assert.equal(a.doc.byKey.get(report.dominantKey)?.keyRange.start.line, oom[0].range.start.line);
});

test('the lens and inlay hint show the estimate and the breakdown', () => {
  const a = analyzeText(text, { configPath: file });
  const lenses = a.service.codeLenses(a.context);
  assert.match(lenses[0].command!.title, /^⚠ ≈ \d+\.\d GiB \(nvidia-smi\) \/ 24\.0 GiB on GeForce RTX 4090 \(over by \d+\.\d GiB\)$/);
  assert.equal(lenses[0].command!.command, 'llamafactory.estimateMemory');
  const [hint] = a.service.inlayHints(a.context);
  assert.equal(hint.position.line, 2);
  const md = (hint.tooltip as MarkupContent).value;
  for (const part of ['weights', 'activations', 'logits and loss', 'PyTorch allocated', 'nvidia-smi']) assert.ok(md.includes(part), part);
});

test('every "Fit to RTX 4090" fix fits, keeps the effective batch and comments', () => {
  const a = analyzeText(text, { configPath: file });
  const d = a.diagnostics.find((x) => x.code === 'memory-exceeds-gpu')!;
  const fits = a.service.codeActions(a.context, d.range, [d]).filter((x) => x.title.startsWith('Fit to'));
  assert.ok(fits.length >= 2, fits.map((f) => f.title).join('\n'));
  for (const fix of fits) {
    const out = applyEdits(a.doc, fix.edit!.changes![a.doc.uri]);
    const after = analyzeText(out, { configPath: file });
    assert.ok(!after.diagnostics.some((x) => x.code === 'memory-exceeds-gpu'), fix.title);
    assert.equal(estimateReport(after.context)!.fits, true, fix.title);
    const batch = Number(after.doc.byKey.get('per_device_train_batch_size')?.value ?? 1);
    const accum = Number(after.doc.byKey.get('gradient_accumulation_steps')?.value ?? 1);
    assert.equal(batch * accum, 8, `${fix.title} keeps the effective batch`);
    assert.match(out, /# An 8B LoRA run/);
    assert.ok(!after.diagnostics.some((x) => x.severity === 1), `${fix.title} introduces no error`);
  }
});

test('without a target GPU the lens still shows the estimate and nothing is flagged', () => {
  const a = analyzeText(text.replace('# llamafactory-gpu: rtx-4090\n', ''), { configPath: file });
  assert.match(a.service.codeLenses(a.context)[0].command!.title, /no target GPU set/);
  assert.ok(!a.diagnostics.some((d) => d.code === 'memory-exceeds-gpu'));
});

test('inference configs get no estimate', () => {
  const a = analyzeText('model_name_or_path: Qwen/Qwen2.5-7B-Instruct\ntemplate: qwen\ninfer_backend: vllm\n');
  assert.equal(estimateReport(a.context), undefined);
  assert.deepEqual(a.service.codeLenses(a.context), []);
});
