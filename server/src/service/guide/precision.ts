// The precision guide under the hover of the precision keys: what the format
// is and when to pick it, what the target GPU supports, and what toggling the
// key would do to this config's memory estimate. The text lives in one JSON
// catalog per language (precision.<locale>.json), with `{0}` placeholders.
// The guide sits below the estimator: the caller prices the toggles (WhatIf).
import type { ConfigDocument } from '../document';
import { format, getLocale } from '../l10n';
import type { Locale } from '../l10n';
import type { GpuFacts } from '../hardware/types';
import { DIRECTIVE_EXAMPLE } from '../hardware/target';
import { numberArg, stringArg, truthy } from '../values';
import en from './precision.en.json';
import ko from './precision.ko.json';
import zhCn from './precision.zh-cn.json';

export type GuideCatalog = typeof en;

/** Each catalog must have English's shape (the compiler checks the keys). */
export const GUIDE_CATALOGS: Record<Locale, GuideCatalog> = { en, ko, 'zh-cn': zhCn };

export const GUIDED_KEYS = ['fp16', 'bf16', 'pure_bf16', 'tf32', 'quantization_bit', 'flash_attn'] as const;
export type GuidedKey = (typeof GUIDED_KEYS)[number];

export function isGuidedKey(key: string): key is GuidedKey {
  return (GUIDED_KEYS as readonly string[]).includes(key);
}


const fmt = (x: number): string => x.toFixed(1);

function recommended(gpu: GpuFacts, c: GuideCatalog): string {
  const [first, second] = gpu.recommendedPrecision.split('_or_');
  return format(c.gpu.recommended, gpu.name, second ? format(c.gpu.or, first, second) : first);
}

const BF16_LINE = { native: 'bf16Native', emulated: 'bf16Emulated', unverified: 'bf16Unverified' } as const;
const FA2_LINE: Record<string, keyof GuideCatalog['gpu']> = {
  supported: 'fa2Supported',
  'supported_build_cuda_12.8+': 'fa2Cuda128',
  supported_rocm: 'fa2Rocm',
  partial: 'fa2Partial',
  npu_native: 'fa2Npu',
  unsupported: 'fa2Unsupported',
};

/** What the target GPU supports, as it bears on `key`. */
function gpuLines(key: GuidedKey, gpu: GpuFacts, c: GuideCatalog): string[] {
  const g = c.gpu;
  const line = (k: keyof GuideCatalog['gpu']): string => format(g[k], gpu.name);
  const tf32 = gpu.tf32 === 'unverified' ? 'tf32Unverified' : gpu.tf32 ? 'tf32Yes' : 'tf32No';
  switch (key) {
    case 'fp16':
      return [line(gpu.fp16Tensor ? 'fp16Tensor' : 'fp16NoTensor'), line(BF16_LINE[gpu.bf16]), recommended(gpu, c)];
    case 'bf16':
    case 'pure_bf16':
      return [line(BF16_LINE[gpu.bf16]), ...(gpu.fp8 === true ? [line('fp8')] : []), recommended(gpu, c)];
    case 'tf32':
      return [line(tf32)];
    case 'quantization_bit':
      return [line(gpu.bitsandbytes === 'supported' ? 'bnbSupported' : gpu.bitsandbytes === 'supported_recent' ? 'bnbRecent' : 'bnbPartial')];
    case 'flash_attn':
      return [line(FA2_LINE[gpu.flashAttn2] ?? 'fa2Partial'), line(gpu.flashAttn3 ? 'fa3Yes' : 'fa3No')];
  }
}

/** Keys to set (or, with null, remove) in the config. */
export type Changes = Record<string, string | number | boolean | null>;

/** The memory estimates the guide compares, computed by the caller. */
export interface WhatIf {
  /** The config as it is; undefined when it cannot be sized. */
  current(): { deviceGiB: number; usableGiB: number | null; gpuName?: string } | undefined;
  /** The config with `changes` applied; undefined when it cannot be sized. */
  changed(changes: Changes): { deviceGiB: number; reservedGiB: number } | undefined;
}

/** What the guide reads: the config, its target GPU and the estimates. */
export interface GuideInput {
  doc: ConfigDocument;
  gpu?: GpuFacts;
  whatIf: WhatIf;
}

/** The toggles worth pricing for `key`, given what the config sets now. */
function toggles(key: GuidedKey, doc: ConfigDocument): [keyof GuideCatalog['changes'], Changes][] {
  const bf16 = truthy(doc, 'bf16') || truthy(doc, 'pure_bf16');
  const fp16 = truthy(doc, 'fp16');
  switch (key) {
    case 'fp16':
    case 'bf16':
      if (fp16) return [['toBf16', { fp16: null, bf16: true }], ['toFp32', { fp16: null }]];
      if (bf16) return [['toFp16', { bf16: null, pure_bf16: null, fp16: true }], ['toFp32', { bf16: null, pure_bf16: null }]];
      return [['toBf16', { bf16: true }], ['toFp16', { fp16: true }]];
    case 'pure_bf16':
      return truthy(doc, 'pure_bf16') ? [['pureBf16Off', { pure_bf16: null, bf16: true }]] : [['pureBf16On', { pure_bf16: true, fp16: null }]];
    case 'quantization_bit': {
      const bits = numberArg(doc, 'quantization_bit');
      const lora = ['lora', 'oft'].includes(stringArg(doc, 'finetuning_type') ?? 'lora');
      const out: [keyof GuideCatalog['changes'], Changes][] = [];
      if (bits !== undefined) out.push(['noQuant', { quantization_bit: null }]);
      if (lora && bits !== 4) out.push(['qlora4', { quantization_bit: 4 }]);
      if (lora && bits !== 8) out.push(['int8', { quantization_bit: 8 }]);
      return out;
    }
    case 'flash_attn':
      return stringArg(doc, 'flash_attn') === 'disabled' ? [['attnSdpa', { flash_attn: 'sdpa' }]] : [['attnEager', { flash_attn: 'disabled' }]];
    case 'tf32':
      return [];
  }
}

/** What toggling `key` does to the estimate here, one line per toggle. */
function whatIfLines(key: GuidedKey, input: GuideInput, c: GuideCatalog): string[] {
  const w = c.whatIf;
  const base = input.whatIf.current();
  if (!base) return [w.none];
  if (key === 'tf32') return [format(w.tf32, fmt(base.deviceGiB))];
  return toggles(key, input.doc).flatMap(([label, changes]) => {
    const e = input.whatIf.changed(changes);
    if (!e) return [];
    const delta = base.deviceGiB - e.deviceGiB;
    const name = c.changes[label];
    const text = Math.abs(delta) < 0.05
      ? format(w.same, name, fmt(e.deviceGiB))
      : format(delta > 0 ? w.less : w.more, name, fmt(e.deviceGiB), fmt(base.deviceGiB), fmt(Math.abs(delta)));
    const verdict = base.usableGiB === null || !base.gpuName ? '' : ` ${format(e.reservedGiB <= base.usableGiB ? w.fits : w.tooBig, base.gpuName)}`;
    return [`${text}${verdict}`];
  });
}

/** The guide for a precision key in Markdown in the active language (see l10n.ts), or undefined for other keys. */
export function precisionGuideMarkdown(input: GuideInput, key: string): string | undefined {
  if (!isGuidedKey(key)) return undefined;
  const c = GUIDE_CATALOGS[getLocale()];
  const target = input.gpu ? gpuLines(key, input.gpu, c) : [format(c.gpu.none, DIRECTIVE_EXAMPLE)];
  const bullets = (lines: string[]): string[] => lines.map((l) => `- ${l}`);
  return [`#### ${c.heading}`, '', c.keys[key].join('\n\n'), '', ...bullets(target), '', c.whatIf.heading, '', ...bullets(whatIfLines(key, input, c))].join('\n');
}
