// Fit-to-GPU: searches the usual out-of-memory remedies, alone and in pairs,
// and returns the few smallest change sets whose estimate fits.
import { estimateMemory, inputMemo, type EstimateInput, type MemoryEstimate } from './estimate';
import { flag, number, text } from './settings';
import { t } from '../l10n';

export interface FitCandidate {
  label: string;
  /** Keys to set; null removes the key. */
  changes: Record<string, string | number | boolean | null>;
  estimate: MemoryEstimate;
}

interface Remedy {
  label: string;
  changes: Record<string, string | number | boolean | null>;
  /** Ranks how disruptive the change is (lower first). */
  cost: number;
}

function remedies(input: EstimateInput): Remedy[] {
  const c = input.config;
  const out: Remedy[] = [];
  const bf16 = flag(c, 'bf16') || flag(c, 'pure_bf16');
  if (!bf16 && !flag(c, 'fp16') && input.gpuSupportsBf16) out.push({ label: t('bf16 mixed precision'), changes: { bf16: true }, cost: 1 });
  if (flag(c, 'disable_gradient_checkpointing')) {
    out.push({ label: t('gradient checkpointing on'), changes: { disable_gradient_checkpointing: null }, cost: 1 });
  }
  // Halve the micro-batch and double accumulation: the effective batch stays.
  const batch = number(c, 'per_device_train_batch_size');
  const accum = number(c, 'gradient_accumulation_steps');
  for (let b = Math.floor(batch / 2), step = 2; b >= 1; b = Math.floor(b / 2), step++) {
    if (batch % b !== 0) continue;
    out.push({
      label: t('batch {0} x accumulation {1}', b, (accum * batch) / b),
      changes: { per_device_train_batch_size: b, gradient_accumulation_steps: (accum * batch) / b },
      cost: step,
    });
    if (b === 1) break;
  }
  const method = text(c, 'finetuning_type');
  if (method === 'full' && !flag(c, 'pure_bf16') && input.gpuSupportsBf16 !== false) {
    out.push({ label: t('pure bf16 (no fp32 master weights)'), changes: { pure_bf16: true, bf16: null }, cost: 3 });
  }
  if (method !== 'lora' && !/8bit/.test(text(c, 'optim'))) {
    out.push({ label: t('8-bit AdamW'), changes: { optim: 'adamw_bnb_8bit' }, cost: 2 });
    out.push({ label: t('paged 8-bit AdamW'), changes: { optim: 'paged_adamw_8bit' }, cost: 3 });
  }
  if (method === 'lora' && number(c, 'quantization_bit') !== 4) {
    out.push({ label: 'QLoRA 4-bit', changes: { quantization_bit: 4 }, cost: 4 });
  }
  if (input.gpuCount > 1) {
    out.push({ label: 'DeepSpeed ZeRO-2', changes: { deepspeed: 'examples/deepspeed/ds_z2_config.json' }, cost: 3 });
    out.push({ label: 'DeepSpeed ZeRO-3', changes: { deepspeed: 'examples/deepspeed/ds_z3_config.json' }, cost: 4 });
    out.push({ label: t('DeepSpeed ZeRO-3 + CPU offload'), changes: { deepspeed: 'examples/deepspeed/ds_z3_offload_config.json' }, cost: 6 });
  }
  const cutoff = number(c, 'cutoff_len');
  // Shorter sequences change what the model learns: the last resort.
  if (cutoff > 512) out.push({ label: `cutoff_len ${cutoff / 2}`, changes: { cutoff_len: cutoff / 2 }, cost: 10 });
  return out;
}

/** The DeepSpeed JSON a `deepspeed:` change points at (LLaMA-Factory's shipped examples), as far as the estimator reads it. */
export function exampleDeepSpeed(path: string): unknown {
  const stage = /z3/.test(path) ? 3 : /z2/.test(path) ? 2 : 0;
  const z: Record<string, unknown> = { stage };
  if (/offload/.test(path)) { z['offload_optimizer'] = { device: 'cpu' }; if (stage === 3) z['offload_param'] = { device: 'cpu' }; }
  return { zero_optimization: z };
}

/** The estimator's input with some keys changed (null removes a key); a `deepspeed` path brings its ZeRO stage. */
export function withChanges(input: EstimateInput, changes: FitCandidate['changes']): EstimateInput {
  const config = { ...input.config };
  let deepspeed = input.deepspeed;
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete config[k];
    else config[k] = v;
    if (k === 'deepspeed' && typeof v === 'string') deepspeed = exampleDeepSpeed(v);
  }
  return { ...input, config, deepspeed };
}

function conflicts(a: Remedy, b: Remedy): boolean {
  return Object.keys(a.changes).some((k) => k in b.changes);
}

/** Every change set of one, two or three remedies that touch different keys, in the order they are listed. */
function changeSets(list: Remedy[]): Remedy[][] {
  const sets: Remedy[][] = list.map((r) => [r]);
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (conflicts(list[i], list[j])) continue;
      sets.push([list[i], list[j]]);
      for (let k = j + 1; k < list.length; k++) {
        if (!conflicts(list[i], list[k]) && !conflicts(list[j], list[k])) sets.push([list[i], list[j], list[k]]);
      }
    }
  }
  return sets;
}

const costOf = (set: Remedy[]): number => set.reduce((s, r) => s + r.cost, 0) + set.length;

/**
 * Change sets (single remedies, then pairs, then triples) whose reserved
 * estimate fits in `usableGiB`, cheapest first. The estimate compared is
 * `reservedGiB`, since the allocator's cache must fit too. Sets are estimated
 * cheapest first and the search stops once `maxResults` fit and every set
 * left costs more: a config typed on a small GPU estimates a handful of sets
 * per keystroke instead of all of them (up to a few hundred).
 */
export function fitToGpu(input: EstimateInput, usableGiB: number, maxResults = 3): FitCandidate[] {
  return rememberedFits(input, `${usableGiB}/${maxResults}`, () => searchFits(input, usableGiB, maxResults));
}

/** Fits per input: typing a key the estimator does not read leaves the search's answer as it was. */
const rememberedFits = inputMemo<FitCandidate[]>(16);

function searchFits(input: EstimateInput, usableGiB: number, maxResults: number): FitCandidate[] {
  // A stable sort: sets of equal cost keep their listed order, as ties did when every set was estimated.
  const sets = changeSets(remedies(input)).map((set) => ({ set, cost: costOf(set) })).sort((a, b) => a.cost - b.cost);
  const found: (FitCandidate & { cost: number })[] = [];
  for (const { set, cost } of sets) {
    const settled = found[maxResults - 1];
    if (settled && cost > settled.cost) break;
    const changes = Object.assign({}, ...set.map((r) => r.changes)) as Remedy['changes'];
    const estimate = estimateMemory(withChanges(input, changes));
    if (estimate.reservedGiB > usableGiB) continue;
    found.push({ label: set.map((r) => r.label).join(' + '), changes, estimate, cost });
  }
  found.sort((a, b) => a.cost - b.cost || a.estimate.reservedGiB - b.estimate.reservedGiB);
  return found.slice(0, maxResults).map(({ label, changes, estimate }) => ({ label, changes, estimate }));
}
