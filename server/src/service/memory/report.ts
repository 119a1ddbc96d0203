// The estimate of one config as the editor, the CLI and the Estimate Memory
// view show it: the config's values, its model, its DeepSpeed file and the
// target GPU go in; a report (the CLI's JSON contract, plus additions) comes out.
import * as path from 'node:path';
import { usableMemoryGiB } from '../hardware/catalog';
import type { GpuFacts } from '../hardware/types';
import { resolveModel } from '../models/resolve';
import { readDeepSpeed } from '../context/config-files';
import type { AnalysisContext } from '../context';
import { readJson, resolveReference } from '../files';
import { gpuCountOf } from '../context/launch/gpu-count';
import { withLaunchSharding } from '../context/launch/sharding';
import { describeLaunch, summarizeLaunch } from '../context/launch/describe';
import type { LaunchSummary, YamlSharding } from '../context/launch/describe';
import { v1ToEstimatorConfig } from '../v1/estimator-config';
import { argValue, commandOf, isV0, releaseDefaults, truthy } from '../values';
import { estimateMemory } from './estimate';
import { dataView } from '../context/data/view';
import type { EstimateInput, MemoryEstimate } from './estimate';
import { fitToGpu, withChanges } from './fit';
import type { FitCandidate } from './fit';
import { t } from '../l10n';
import { memoryLabel } from './labels';

export interface GpuSummary {
  id: string;
  name: string;
  memoryGiB: number;
}

export interface EstimateReport {
  gpu: GpuSummary | null;
  gpus: number;
  allocatedGiB: number;
  reservedGiB: number;
  deviceGiB: number;
  lowGiB: number;
  highGiB: number;
  fits: boolean | null;
  breakdown: { name: string; GiB: number }[];
  model: { source: 'local' | 'cache' | 'catalog' | 'name' | 'hub'; id: string; paramsB: number };
  /** Memory PyTorch can use on the target GPU, or null without one. */
  usableGiB: number | null;
  /** usable minus reserved; negative when it does not fit. */
  headroomGiB: number | null;
  /** Where the architecture came from, and whether it is a generic stand-in. */
  modelDetail: string;
  approximate: boolean;
  assumptions: string[];
  /** The key that drives the largest component (where an out-of-memory warning goes). */
  dominantKey: string;
  /** The launch the estimate assumes, in one line ("Launched as: …", or that none is known); absent for an estimate made without a config. */
  launchAssumed?: string;
  /**
   * The sequence length the estimate used: the longest sample of the scanned data (`dataset`)
   * or cutoff_len (no scanned data, or packing fills every row). p95, max and truncatedShare
   * describe the data's token lengths when known, else null.
   */
  sequence?: SequenceSummary;
  /** With a data-derived sequence: the estimate with every batch padded to cutoff_len, the upper bound. */
  paddedBound?: { allocatedGiB: number; reservedGiB: number; deviceGiB: number };
}

export interface SequenceSummary {
  source: 'dataset' | 'cutoff_len';
  tokens: number;
  p95: number | null;
  max: number | null;
  truncatedShare: number | null;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Whether a config describes a training run the estimator can size (v1 files are always training runs). */
export function isEstimable(ctx: AnalysisContext): boolean {
  if (ctx.doc.kind === 'llamafactory-v1') return typeof argValue(ctx.doc, 'model') === 'string';
  return isV0(ctx.doc) && commandOf(ctx.doc) === 'train' && typeof argValue(ctx.doc, 'model_name_or_path') === 'string' && !truthy(ctx.doc, 'use_kt');
}

/** Why a training config has no estimate, for the lens; undefined when it has one or is not a training config. */
export function whyNoEstimate(ctx: AnalysisContext): string | undefined {
  if (!isV0(ctx.doc) || commandOf(ctx.doc) !== 'train') return undefined;
  if (truthy(ctx.doc, 'use_kt')) return t('KTransformers keeps the MoE experts on the CPU, which the estimator does not model');
  if (!estimateInput(ctx)) return t('the architecture of {0} is unknown (no local config.json, cache entry, catalog entry or size in the name)', String(argValue(ctx.doc, 'model_name_or_path')));
  return undefined;
}

/** The config in v0 keys, as the estimator reads it, and the DeepSpeed JSON it names (or the launch's sharding). */
function estimatorConfig(ctx: AnalysisContext): { config: Record<string, unknown>; deepspeed: unknown } {
  return withLaunchSharding(ctx.launch, ...yamlConfig(ctx), ctx.host, ctx.configPath);
}

function yamlConfig(ctx: AnalysisContext): [Record<string, unknown>, unknown] {
  if (ctx.doc.kind === 'llamafactory-v1') {
    const config = v1ToEstimatorConfig(ctx.doc);
    const file = typeof config.deepspeed === 'string' ? resolveReference(config.deepspeed, ctx.configPath, ctx.host) : undefined;
    return [config, file ? readJson(ctx.host, file.path) : undefined];
  }
  const config: Record<string, unknown> = {};
  for (const [k, e] of ctx.doc.byKey) if (e.value !== undefined) config[k] = e.value;
  // The estimator reads main's defaults: a key the YAML leaves out takes the user's release default instead.
  for (const [k, v] of releaseDefaults(ctx.doc)) if (!(k in config)) config[k] = v;
  return [config, readDeepSpeed(ctx)?.config];
}

/** LLaMA-Factory's SFT collator pads to a multiple of 8 when training (pad_to_multiple_of=8 in train/sft/workflow.py). */
const PAD_MULTIPLE = 8;

/** Tokens in the longest batch the scanned training data yields (its longest sample, padded), or undefined without scanned data. */
function longestBatch(ctx: AnalysisContext): number | undefined {
  if (!isV0(ctx.doc)) return undefined;
  const lengths = dataView(ctx).lengths;
  if (!lengths || lengths.max <= 0) return undefined;
  return Math.ceil(lengths.max / PAD_MULTIPLE) * PAD_MULTIPLE;
}

/** The sequence the estimate used, with the data's length statistics when they are known. */
function sequenceOf(ctx: AnalysisContext, input: EstimateInput, e: MemoryEstimate): SequenceSummary {
  const l = isV0(ctx.doc) ? dataView(ctx).lengths : undefined;
  const cutoff = Math.max(1, Number(input.config.cutoff_len ?? argValue(ctx.doc, 'cutoff_len')) || 1);
  const fromData = input.sequenceTokens !== undefined && e.sequenceTokens < cutoff;
  return {
    source: fromData ? 'dataset' : 'cutoff_len',
    tokens: e.sequenceTokens,
    p95: l ? l.p95 : null,
    max: l ? l.max : null,
    truncatedShare: l ? Math.round(l.truncatedShare * 1000) / 1000 : null,
  };
}

const inputs = new WeakMap<AnalysisContext, EstimateInput | null>();

/** The estimator's input for this config (cached per analysis), or undefined when it cannot be sized. */
export function estimateInput(ctx: AnalysisContext): EstimateInput | undefined {
  const hit = inputs.get(ctx);
  if (hit !== undefined) return hit ?? undefined;
  let input: EstimateInput | null = null;
  if (isEstimable(ctx)) {
    const { config, deepspeed } = estimatorConfig(ctx);
    const model = resolveModel(String(config.model_name_or_path), path.dirname(ctx.configPath), ctx.host);
    if (model) {
      const gpu = ctx.target?.gpu;
      const tokens = longestBatch(ctx);
      input = {
        config,
        model,
        gpuCount: gpuCountOf(ctx.target, ctx.launch, ctx.settings.gpuCount),
        deepspeed,
        ...(gpu ? { gpuMemoryGiB: gpu.memoryGiB, gpuSupportsBf16: gpu.bf16 === 'native' } : {}),
        ...(tokens !== undefined ? { sequenceTokens: tokens } : {}),
      };
    }
  }
  inputs.set(ctx, input);
  return input ?? undefined;
}

export function summarizeGpu(gpu: GpuFacts): GpuSummary {
  return { id: gpu.id, name: gpu.name, memoryGiB: gpu.memoryGiB };
}

/** What the YAML itself says about sharding, for the launch's description. */
export function yamlSharding(ctx: AnalysisContext): YamlSharding {
  const ds = truthy(ctx.doc, 'deepspeed') ? readDeepSpeed(ctx) : undefined;
  return {
    deepspeed: ds ? { stage: ds.stage, offloadParam: ds.offloadParam, offloadOptimizer: ds.offloadOptimizer } : undefined,
    fsdp: truthy(ctx.doc, 'fsdp'),
  };
}

/** The launch line for this config (hover, lens, CLI text). */
export function launchLine(ctx: AnalysisContext): string {
  return describeLaunch(ctx.launch, yamlSharding(ctx), gpuCountOf(ctx.target, ctx.launch, ctx.settings.gpuCount));
}

/** The CLI's JSON `launch` object; null when no launch was given or found. */
export function launchSummary(ctx: AnalysisContext): LaunchSummary | null {
  return ctx.launch ? summarizeLaunch(ctx.launch, yamlSharding(ctx)) : null;
}

function toReport(input: EstimateInput, e: MemoryEstimate, gpu: GpuFacts | undefined, launchAssumed: string | undefined): EstimateReport {
  const usable = gpu ? usableMemoryGiB(gpu) : null;
  return {
    gpu: gpu ? summarizeGpu(gpu) : null,
    gpus: input.gpuCount,
    allocatedGiB: e.allocatedGiB,
    reservedGiB: e.reservedGiB,
    deviceGiB: e.deviceGiB,
    lowGiB: e.lowGiB,
    highGiB: e.highGiB,
    fits: usable === null ? null : e.reservedGiB <= usable,
    breakdown: e.breakdown,
    model: { source: input.model.source, id: input.model.id, paramsB: Math.round(input.model.paramsB * 100) / 100 },
    usableGiB: usable,
    headroomGiB: usable === null ? null : round(usable - e.reservedGiB),
    modelDetail: input.model.detail,
    approximate: input.model.approximate,
    assumptions: e.assumptions,
    dominantKey: e.dominantKey,
    ...(launchAssumed ? { launchAssumed } : {}),
  };
}

/** The report of one estimator input against a GPU (or none). */
export function reportFor(input: EstimateInput, gpu: GpuFacts | undefined, launchAssumed?: string): EstimateReport {
  return toReport(input, estimateMemory(input), gpu, launchAssumed);
}

const reports = new WeakMap<AnalysisContext, EstimateReport | null>();

/** The estimate against the context's target GPU (cached per analysis). */
export function estimateReport(ctx: AnalysisContext): EstimateReport | undefined {
  const hit = reports.get(ctx);
  if (hit !== undefined) return hit ?? undefined;
  const input = estimateInput(ctx);
  let report: EstimateReport | null = null;
  if (input) {
    const e = estimateMemory(input);
    report = { ...toReport(input, e, ctx.target?.gpu, launchLine(ctx)), sequence: sequenceOf(ctx, input, e) };
    if (report.sequence!.source === 'dataset') {
      const padded = estimateMemory({ ...input, sequenceTokens: undefined });
      report.paddedBound = { allocatedGiB: padded.allocatedGiB, reservedGiB: padded.reservedGiB, deviceGiB: padded.deviceGiB };
    }
  }
  reports.set(ctx, report);
  return report ?? undefined;
}

/** The smallest change sets that make the config fit the target GPU. */
export function fitCandidates(ctx: AnalysisContext, max = 3): FitCandidate[] {
  const input = estimateInput(ctx);
  const gpu = ctx.target?.gpu;
  return input && gpu ? fitToGpu(input, usableMemoryGiB(gpu), max) : [];
}

/** The estimate of this config with some keys changed (null removes a key), on the same target; undefined when it cannot be sized. */
export function estimateWith(ctx: AnalysisContext, changes: FitCandidate['changes']): MemoryEstimate | undefined {
  const input = estimateInput(ctx);
  return input ? estimateMemory(withChanges(input, changes)) : undefined;
}

export interface WhatFitsRow {
  gpu: GpuSummary;
  counts: { gpus: number; reservedGiB: number; deviceGiB: number; fits: boolean }[];
}

/** The same config on other GPUs and GPU counts (sharding only helps with ZeRO/FSDP). */
export function whatFits(ctx: AnalysisContext, gpus: readonly GpuFacts[], counts: readonly number[]): WhatFitsRow[] {
  const base = estimateInput(ctx);
  if (!base) return [];
  return gpus.map((gpu) => ({
    gpu: summarizeGpu(gpu),
    counts: counts.map((n) => {
      const e = estimateMemory({ ...base, gpuCount: n, gpuMemoryGiB: gpu.memoryGiB, gpuSupportsBf16: gpu.bf16 === 'native' });
      return { gpus: n, reservedGiB: e.reservedGiB, deviceGiB: e.deviceGiB, fits: e.reservedGiB <= usableMemoryGiB(gpu) };
    }),
  }));
}

const fmt = (x: number) => x.toFixed(1);

/**
 * One line for the lens, naming the figure it shows (what nvidia-smi would
 * read): `≈ 17.9 GiB (nvidia-smi) / 24 GiB on NVIDIA GeForce RTX 4090 (5.6 GiB free)`.
 * "Free" is the usable memory minus PyTorch's reserved estimate, which with one
 * CUDA context equals the card's size minus the nvidia-smi figure.
 */
export function summaryLine(r: EstimateReport): string {
  if (!r.gpu) return r.gpus > 1 ? t('≈ {0} GiB per GPU (nvidia-smi; no target GPU set)', fmt(r.deviceGiB)) : t('≈ {0} GiB (nvidia-smi; no target GPU set)', fmt(r.deviceGiB));
  const head = r.headroomGiB ?? 0;
  const verdict = r.fits ? t('{0} GiB free', fmt(head)) : t('over by {0} GiB', fmt(-head));
  const on = t('{0} GiB (nvidia-smi) / {1} GiB on {2}', fmt(r.deviceGiB), fmt(r.gpu.memoryGiB), `${r.gpu.name}${r.gpus > 1 ? ` ×${r.gpus}` : ''}`);
  return `${r.fits ? '≈' : '⚠ ≈'} ${on} (${verdict})`;
}

/** The breakdown table and assumptions as Markdown (hover, webview copy, CLI). */
export function breakdownMarkdown(r: EstimateReport): string {
  const rows = r.breakdown.map((b) => `| ${memoryLabel(b.name)} | ${fmt(b.GiB)} |`);
  const title = r.gpus > 1 ? t('Estimated GPU memory per GPU') : t('Estimated GPU memory');
  const lines = [
    `**${title}**${r.gpu ? ` ${t('on {0}', r.gpu.name)}` : ''}`,
    '',
    `| ${t('component')} | GiB |`,
    '|---|---:|',
    ...rows,
    `| **${t('PyTorch allocated (peak)')}** | **${fmt(r.allocatedGiB)}** |`,
    `| ${t('PyTorch reserved')} | ${fmt(r.reservedGiB)} |`,
    `| nvidia-smi | ${fmt(r.deviceGiB)} |`,
    '',
    t('Range {0}–{1} GiB.', fmt(r.lowGiB), fmt(r.highGiB)) + (r.usableGiB !== null ? ` ${t('Usable on this GPU: {0} GiB.', fmt(r.usableGiB))}` : ''),
    '',
    t('Model: {0}, {1} B parameters ({2}).', r.model.id, r.model.paramsB, r.approximate ? t('{0}; approximate', r.modelDetail) : r.modelDetail),
  ];
  if (r.sequence?.source === 'dataset' && r.paddedBound) {
    lines.push('', t('Sequence: {0} tokens, the longest sample of the data (p95 {1}); padded to cutoff_len every batch would need {2} GiB (nvidia-smi), the upper bound.', r.sequence.tokens, r.sequence.p95 ?? '—', fmt(r.paddedBound.deviceGiB)));
  }
  if (r.assumptions.length) lines.push('', ...r.assumptions.map((a) => `- ${a}`));
  if (r.launchAssumed) lines.push('', r.launchAssumed);
  return lines.join('\n');
}
