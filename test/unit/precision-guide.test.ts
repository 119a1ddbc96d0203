// The precision guide in the hover: our explanation of the format, what the
// target GPU supports, and what toggling the key does to this config's
// estimate, in English, Korean and Simplified Chinese.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { MarkupContent, Position } from 'vscode-languageserver-types';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import { GUIDE_CATALOGS, GUIDED_KEYS } from '../../server/src/service/guide/precision';
import { setLocale } from '../../server/src/service/l10n';
import { estimateReport, estimateWith } from '../../server/src/service/memory/report';
import { fixturesDir, memoryHost } from '../helpers';

const base = readFileSync(path.join(fixturesDir, 'guide/lora-bf16.yaml'), 'utf8');
const configPath = '/work/project/config.yaml';

/** Analyses `text` (with a GPU directive when given) and hovers on the first occurrence of `key:`. */
function hoverOn(key: string, opts: { gpu?: string; text?: string; locale?: string } = {}): string {
  const body = opts.text ?? base;
  const text = opts.gpu ? `# llamafactory-gpu: ${opts.gpu}\n${body}` : body;
  const service = createLanguageService(memoryHost());
  const { context } = service.analyze({ uri: `file://${configPath}`, text, configPath }, defaultSettings);
  const line = text.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  assert.ok(line >= 0, `${key} is in the config`);
  const position: Position = { line, character: 1 };
  setLocale(opts.locale ?? 'en');
  let h;
  try {
    h = service.hover(context, position);
  } finally {
    setLocale('en');
  }
  assert.ok(h, `hover on ${key}`);
  return (h.contents as MarkupContent).value;
}

test('bf16 on a T4: no bf16 hardware, fp16 recommended', () => {
  const md = hoverOn('bf16', { gpu: 't4' });
  assert.match(md, /^\*\*bf16\*\*/, 'the key description stays first');
  assert.match(md, /8 exponent bits, 7 mantissa bits/);
  assert.match(md, /T4 has no bf16 hardware/);
  assert.match(md, /Recommended precision on the [^:]*T4[^:]*: \*\*fp16\*\*/);
});

test('bf16 on an A100: supported', () => {
  const md = hoverOn('bf16', { gpu: 'a100-80gb-sxm' });
  assert.match(md, /A100[^\n]* computes bf16 in hardware: bf16 is supported/);
  assert.doesNotMatch(md, /no bf16 hardware/);
});

test('the what-if line prices the toggle in GiB, matching the estimator', () => {
  const md = hoverOn('bf16', { gpu: 'rtx-4090' });
  const m = /Switching to fp16: ≈ (\d+\.\d) GiB instead of ≈ (\d+\.\d) GiB/.exec(md) ?? /Switching to fp16: no change to the memory estimate \(≈ (\d+\.\d) GiB\)/.exec(md);
  assert.ok(m, md);
  const fp32 = /Without mixed precision \(fp32\): ≈ (\d+\.\d) GiB instead of ≈ (\d+\.\d) GiB, (\d+\.\d) GiB more\. That (fits|does not fit) on the/.exec(md);
  assert.ok(fp32, 'fp32 needs more memory than bf16');
  // The numbers are the estimator's, with the config changed.
  const service = createLanguageService(memoryHost());
  const text = `# llamafactory-gpu: rtx-4090\n${base}`;
  const { context } = service.analyze({ uri: `file://${configPath}`, text, configPath }, defaultSettings);
  assert.equal(fp32[2], estimateReport(context)!.deviceGiB.toFixed(1));
  assert.equal(fp32[1], estimateWith(context, { bf16: null, pure_bf16: null })!.deviceGiB.toFixed(1));
  // An fp32 config is offered bf16, which saves memory.
  const fp32Config = base.replace('bf16: true\n', 'tf32: true\n');
  assert.match(hoverOn('tf32', { gpu: 'rtx-4090', text: fp32Config }), /tf32 changes speed, not memory: the memory estimate stays ≈ \d+\.\d GiB/);
  const text32 = `${fp32Config}fp16: false\n`;
  assert.match(hoverOn('fp16', { gpu: 'rtx-4090', text: text32 }), /Switching to bf16: ≈ \d+\.\d GiB instead of ≈ \d+\.\d GiB, saving \d+\.\d GiB\. That fits on the/);
});

test('quantization_bit offers QLoRA 4-bit with its estimate', () => {
  const md = hoverOn('finetuning_type', { gpu: 'rtx-3060-12gb', text: base });
  assert.doesNotMatch(md, /Precision guide/, 'other keys get no guide');
  // A 16 GB card: the 4-bit estimate of this config (about 12.5 GiB) fits it with room to spare.
  const q = hoverOn('quantization_bit', { gpu: 'rtx-4060-ti-16gb', text: `${base}quantization_bit: 8\n` });
  assert.match(q, /QLoRA 4-bit: ≈ \d+\.\d GiB instead of ≈ \d+\.\d GiB, saving \d+\.\d GiB\. That fits on the/);
  assert.match(q, /Without quantization: ≈ \d+\.\d GiB instead of/);
  assert.match(q, /bitsandbytes supports the/);
});

test('tf32, flash_attn, pure_bf16 and fp16 each get their guide', () => {
  const text = `${base}tf32: true\nflash_attn: fa2\npure_bf16: false\nfp16: false\n`;
  assert.match(hoverOn('tf32', { gpu: 't4', text }), /T4 has no TF32 that transformers accepts/);
  assert.match(hoverOn('tf32', { gpu: 'a100-80gb-sxm', text }), /tf32 changes speed, not memory/);
  const fa = hoverOn('flash_attn', { gpu: 'h100-sxm-80gb', text });
  assert.match(fa, /FlashAttention-3 \(`fa3`\) runs on the/);
  assert.match(fa, /Plain \(eager\) attention: ≈ \d+\.\d GiB instead of ≈ \d+\.\d GiB, \d+\.\d GiB more/);
  assert.match(hoverOn('pure_bf16', { gpu: 'a100-80gb-sxm', text }), /Pure bf16 \(no fp32 master weights\)/);
  assert.match(hoverOn('fp16', { gpu: 't4', text }), /loss scaling/);
});

test('without a target GPU the guide says how to set one', () => {
  assert.match(hoverOn('bf16'), /No target GPU is set[^\n]*llamafactory-gpu:/);
});

test('without an estimate the guide says so instead of numbers', () => {
  const md = hoverOn('bf16', { gpu: 't4', text: 'model_name_or_path: ./nowhere\nstage: sft\ndo_train: true\nbf16: true\n' });
  assert.match(md, /no memory estimate/);
});

test('Korean and Chinese hovers use the translated guide', () => {
  const ko = hoverOn('bf16', { gpu: 't4', locale: 'ko' });
  assert.match(ko, /#### 정밀도 가이드/);
  assert.match(ko, /bf16 하드웨어가 없습니다/);
  assert.match(ko, /혼합 정밀도 없이\(fp32\): ≈ \d+\.\d GiB 대신 ≈ \d+\.\d GiB, \d+\.\d GiB 증가\./);
  const zh = hoverOn('bf16', { gpu: 'a100-80gb-sxm', locale: 'zh-CN' });
  assert.match(zh, /#### 精度指南/);
  assert.match(zh, /在硬件上支持 bf16 计算/);
  assert.match(zh, /不用混合精度（fp32）：约 \d+\.\d GiB（原为约 \d+\.\d GiB），多用 \d+\.\d GiB。/);
  assert.doesNotMatch(zh, /Switching to/);
});


/** Every leaf path of a catalog, with the length of each list. */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [`${prefix}[${value.length}]`];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shape(v, `${prefix}.${k}`));
  return [prefix];
}

test('the Korean and Chinese catalogs have every entry English has, with the same placeholders', () => {
  const en = GUIDE_CATALOGS.en;
  assert.deepEqual(Object.keys(en.keys).sort(), [...GUIDED_KEYS].sort());
  for (const locale of ['ko', 'zh-cn'] as const) {
    const other = GUIDE_CATALOGS[locale];
    assert.deepEqual(shape(other), shape(en), locale);
    for (const section of ['gpu', 'whatIf', 'changes'] as const) {
      for (const [k, v] of Object.entries(en[section])) {
        const placeholders = (s: string) => [...new Set(s.match(/\{\d\}/g) ?? [])].sort();
        assert.deepEqual(placeholders((other[section] as Record<string, string>)[k]), placeholders(v), `${locale} ${section}.${k}`);
      }
    }
  }
});
