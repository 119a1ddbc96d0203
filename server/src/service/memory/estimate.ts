// The VRAM estimate: what one GPU holds at the worst moment of a training step
// under LLaMA-Factory's defaults. Pure function of config + architecture.
import type { ResolvedModel } from '../models/resolve';
import { countParams, moduleName, type ParamCounts } from '../models/params';
import type { Architecture } from '../models/architecture';
import { flag, list, number, shardingPlan, text, type ShardingPlan } from './settings';
import { getLocale, t } from '../l10n';
import { memoryLabel } from './labels';

export interface EstimateInput {
  /** The YAML's top-level values as LLaMA-Factory receives them. */
  config: Record<string, unknown>;
  model: ResolvedModel;
  gpuCount: number;
  gpuMemoryGiB?: number;
  /** The parsed DeepSpeed JSON when the YAML references one. */
  deepspeed?: unknown;
  /** Whether the target GPU runs bf16 (fit-to-GPU only proposes bf16 then). */
  gpuSupportsBf16?: boolean;
  /** transformers version when known; before 4.46 the logits were upcast to fp32 in every forward. */
  transformersVersion?: string;
  /**
   * Optimizer step fused into the backward pass (torchtune's optimizer_in_bwd):
   * each gradient is applied and freed as soon as it exists. LLaMA-Factory has no
   * such switch; the calibration rows from torchtune need it.
   */
  optimizerInBackward?: boolean;
  /**
   * PEFT's prepare_model_for_kbit_training (axolotl, TRL recipes) casts the
   * non-quantized weights of a QLoRA model (embeddings, lm_head, norms) to fp32.
   * LLaMA-Factory does not; the calibration rows from axolotl need it.
   */
  upcastNonQuantized?: boolean;
  /**
   * The bf16 base weights are quantized to NF4 on the GPU with an unchunked
   * nearest-value search (torchao before mid-2024, used by torchtune's Llama-2
   * QLoRA recipes): loading, not training, can set the peak. LLaMA-Factory
   * quantizes through bitsandbytes, which has no such intermediate.
   */
  unchunkedNf4Load?: boolean;
}

export interface MemoryEstimate {
  /** torch.cuda.max_memory_allocated, GiB per GPU. */
  allocatedGiB: number;
  /** torch.cuda.max_memory_reserved. */
  reservedGiB: number;
  /** What nvidia-smi shows: reserved + CUDA context (+ NCCL buffers). */
  deviceGiB: number;
  lowGiB: number;
  highGiB: number;
  breakdown: { name: string; GiB: number }[];
  assumptions: string[];
  /** The config key that drives the largest component. */
  dominantKey: string;
}

const GIB = 2 ** 30;

// Fitted constants. Each names the rows it comes from.
/**
 * Bytes per (token x vocabulary entry) at the loss peak: bf16 logits, their
 * fp32 upcast inside transformers' causal-LM loss, the log-softmax and its
 * gradient. Fit to our H200 LoRA rows with checkpointing (1.5B, 1k-16k tokens:
 * 2.17 MB per token over a 151 936 vocabulary, bench/calibration).
 */
const LOSS_BYTES_PER_LOGIT = 14;
/** With Liger's fused linear cross-entropy (or unsloth's) only chunks exist. */
const FUSED_LOSS_BYTES_PER_LOGIT = 1;
/**
 * transformers < 4.46: `logits.float()` in the forward plus a shifted fp32
 * copy. Fit to the ms-swift qwen-7b LoRA sequence sweeps (rows m117-m121,
 * 2024, reserved memory), which formulas.md §6.3 puts at ~24 with their loss.
 */
const LEGACY_LOSS_BYTES_PER_LOGIT = 22;
/**
 * torch_compile fuses the fp32 upcast and log-softmax of the loss, and the
 * norm / SwiGLU intermediates of each layer. torchtune Llama-3.2-3B full FT,
 * 2x4096 tokens, no checkpointing: 60 GiB -> 51 GiB with compile (rows m002,
 * m003), then 42.9 GiB with chunked cross-entropy on top (m004). That splits as
 * ~9 bytes per logit left after compile and ~15 % fewer layer activations.
 */
const COMPILED_LOSS_BYTES_PER_LOGIT = 9;
const COMPILED_ACTIVATION_FACTOR = 0.85;
/**
 * Allocator slack: reserved minus allocated grows with the short-lived
 * tensors (activations, logits). H200 rows: 5 % with checkpointing, 10-20 %
 * without; ms-swift LoRA rows (reserved) sit in the same band.
 */
const RESERVED_SLACK_OF_TRANSIENT = 0.12;
const RESERVED_SLACK_FIXED_GIB = 0.2;
/**
 * transformers < 4.46 frees several fp32 logits-sized blocks per step (upcast,
 * shifted copy, log-softmax, its gradient); with variable-length samples the
 * allocator keeps them cached beside the next step's, so reserved sits above
 * the allocated peak by a share of the logits that stops growing once the cache
 * holds a few GiB. The ms-swift Qwen-1.8B/7B/14B length sweeps (rows m117-m131,
 * reserved) grow ~7.5 MB per token up to 2048 tokens and ~3.2 MB beyond, the
 * same for all three sizes: 10 bytes per logit, at most 4 GiB (also the batch
 * and quantization sweeps m180-m197).
 */
const LEGACY_CACHED_BYTES_PER_LOGIT = 10;
const LEGACY_CACHED_CAP_GIB = 4;
/**
 * LoRA dropout keeps a mask and a dropped copy of each adapted input: 12 bytes
 * per hidden unit, layer and token without checkpointing. With checkpointing
 * only the recomputed layer should hold them, yet the ms-swift LoRA sweeps keep
 * about half of it (fit together with the cached-logits slack above on rows
 * m117-m131, m180-m197; the full 12 overshoots their 8k-token rows by 9-17 GiB).
 */
const LORA_DROPOUT_BYTES = 12;
const LORA_DROPOUT_BYTES_CHECKPOINTED = 6;
/**
 * Unchunked NF4 conversion compares every element with the 16 NF4 levels in
 * fp32: pytorch/ao PR #315 quantized a 4096 x 128256 weight and peaked 35.8 GB
 * above the 2.1 GB input, ~68 bytes per element.
 */
const NF4_UNCHUNKED_BYTES_PER_ELEMENT = 68;
/** CUDA context + cuBLAS workspace outside PyTorch: 0.75 GiB on every H200 row. */
const CUDA_CONTEXT_GIB = 0.75;
/** NCCL communicator buffers per rank on multi-GPU runs (formulas.md §7). */
const NCCL_GIB = 0.5;

interface Plan {
  arch: Architecture;
  counts: ParamCounts;
  n: number;
  sharding: ShardingPlan;
  computeBytes: number;
  method: 'full' | 'freeze' | 'lora' | 'oft';
  quantBits: number;
  pure: boolean;
  checkpointing: boolean;
  tokens: number;
  seqLen: number;
  assumptions: string[];
}

type Parts = Record<string, number>;

function plan(input: EstimateInput): Plan {
  const c = input.config;
  const assumptions: string[] = [];
  const arch = input.model.arch;
  const counts = countParams(arch);
  const n = Math.max(1, Math.floor(input.gpuCount || 1));
  const bf16 = flag(c, 'bf16') || flag(c, 'pure_bf16');
  const fp16 = flag(c, 'fp16');
  const computeBytes = bf16 || fp16 ? 2 : 4;
  if (computeBytes === 4) assumptions.push(t('no bf16/fp16: weights and activations in fp32'));
  const methodRaw = text(c, 'finetuning_type', 'lora');
  const method = (['full', 'freeze', 'lora', 'oft'].includes(methodRaw) ? methodRaw : 'lora') as Plan['method'];
  const quantMethod = text(c, 'quantization_method', 'bnb');
  let quantBits = quantMethod === 'bnb' || quantMethod === 'bitsandbytes' || quantMethod === 'hqq' || quantMethod === 'eetq'
    ? number(c, 'quantization_bit', 0)
    : 0;
  const preQuant = /gptq|awq|int4|4bit|bnb-4|int8|8bit/i.exec(input.model.id);
  if (!quantBits && preQuant) {
    // The bit width may follow the method name (`-GPTQ-Int8`).
    quantBits = /int8|8bit/i.test(input.model.id) ? 8 : 4;
    assumptions.push(t('pre-quantized checkpoint ({0}): {1}-bit weights', preQuant[0], quantBits));
  }
  const sharding = shardingPlan(c, input.deepspeed);
  const useBadam = flag(c, 'use_badam');
  // LLaMA-Factory upcasts trainable params to fp32 unless pure_bf16, BAdam, or
  // DeepSpeed ZeRO-3 (which keeps its own fp32 master copy).
  const pure = flag(c, 'pure_bf16') || useBadam || computeBytes === 4;
  const checkpointing = !flag(c, 'disable_gradient_checkpointing');
  const stage = text(c, 'stage', 'sft');
  const packing = flag(c, 'packing', stage === 'pt') || flag(c, 'neat_packing');
  const seqLen = Math.max(1, number(c, 'cutoff_len', 2048));
  let batch = Math.max(1, number(c, 'per_device_train_batch_size', 8));
  if (c['per_device_train_batch_size'] === undefined) assumptions.push(t('per_device_train_batch_size unset: HF default 8'));
  if (['dpo', 'kto', 'orpo', 'simpo', 'rm'].includes(stage)) batch *= 2;
  assumptions.push(
    packing
      ? t('packed rows of {0} tokens', seqLen)
      : t('every batch padded to cutoff_len {0} (the longest possible sample)', seqLen),
  );
  if (input.model.approximate) assumptions.push(t('architecture approximated: {0}', input.model.detail));
  return { arch, counts, n, sharding, computeBytes, method, quantBits, pure, checkpointing, tokens: batch * seqLen, seqLen, assumptions };
}

/** Trainable parameters and the share of the frozen weights they replace. */
function trainable(p: Plan, c: Record<string, unknown>): { params: number; replaces: number; embeddingTrainable: boolean } {
  const { counts, arch } = p;
  if (p.method === 'full') return { params: counts.total, replaces: counts.total, embeddingTrainable: true };
  if (p.method === 'freeze') {
    const layersTrained = Math.min(arch.layers, Math.abs(number(c, 'freeze_trainable_layers', 2)) || 2);
    const perLayer = (counts.total - counts.embedding - counts.lmHead) / arch.layers;
    const extra = list(c, 'freeze_extra_modules', []).some((m) => /embed|lm_head/.test(m)) ? counts.embedding : 0;
    const params = perLayer * layersTrained + extra;
    return { params, replaces: params, embeddingTrainable: extra > 0 };
  }
  const targets = list(c, p.method === 'oft' ? 'oft_target' : 'lora_target', ['all']);
  const all = targets.includes('all');
  const rank = p.method === 'oft' ? number(c, 'oft_block_size', 32) / 2 : number(c, 'lora_rank', 8);
  let params = 0;
  for (const g of p.counts.linears) {
    // Fused expert tensors are not nn.Linear modules, so `all` skips them.
    const hit = all ? !g.expert : targets.includes(moduleName(g)) || targets.includes(g.name);
    if (hit) params += g.count * rank * (g.dIn + g.dOut) + (flag(c, 'use_dora') ? g.count * g.dOut : 0);
  }
  let replaces = 0;
  const additional = list(c, 'additional_target', []);
  for (const m of additional) {
    if (/embed/.test(m)) replaces += counts.embedding;
    else if (/lm_head|output/.test(m)) replaces += counts.lmHead || counts.embedding;
  }
  // modules_to_save keeps a trainable copy beside the frozen original.
  return { params: params + replaces, replaces: 0, embeddingTrainable: replaces > 0 };
}

/** Optimizer state bytes per trainable parameter, and step-time temporaries. */
function optimizer(c: Record<string, unknown>, trainBytes: number): { state: number; temp: number; label: string } {
  if (flag(c, 'use_badam')) return { state: 0, temp: 0, label: 'badam' };
  const optim = text(c, 'optim', 'adamw_torch_fused');
  if (flag(c, 'use_adam_mini')) return { state: trainBytes, temp: 0, label: 'adam-mini' };
  if (flag(c, 'use_muon')) return { state: trainBytes * 1.1, temp: 0, label: 'muon' };
  // Paged states live in CUDA unified memory, outside PyTorch's allocator.
  if (/paged/.test(optim)) return { state: 0, temp: 0, label: optim };
  if (/8bit/.test(optim)) return { state: 2, temp: 0, label: optim };
  if (/4bit/.test(optim)) return { state: 1, temp: 0, label: optim };
  if (/adafactor/.test(optim)) return { state: 0.1, temp: trainBytes * 0.5, label: optim };
  if (/sgd/.test(optim)) return { state: 0, temp: 0, label: optim };
  if (/lion/.test(optim)) return { state: trainBytes, temp: 0, label: optim };
  if (/adagrad|rmsprop/.test(optim)) return { state: trainBytes, temp: 0, label: optim };
  // The fused kernel updates in place. The foreach path (`adamw_torch`, the HF
  // default before adamw_torch_fused) builds a param-sized sqrt(v) buffer in
  // the step: ms-swift full FT of Qwen-7B/14B with bf16 AdamW (rows m170-m179,
  // m269) sits ~1x the bf16 weights above weights + grads + states, and the
  // torchtune PR behind m284 measured the same gap for foreach=True.
  const foreach = /^adamw_(torch|hf)$|^adamw$/.test(optim);
  return { state: 2 * trainBytes, temp: foreach ? trainBytes : 0, label: optim };
}

/** Saved activation bytes per token for one decoder layer, without checkpointing. */
function layerActivationBytes(arch: Architecture, seqLen: number, attn: string, b: number): number {
  const h = arch.hidden;
  const qDim = arch.mla ? arch.heads * (arch.mla.qkNopeHeadDim + arch.mla.qkRopeHeadDim) : arch.heads * arch.headDim;
  const kvDim = arch.mla ? qDim : arch.kvHeads * arch.headDim;
  // Norms keep an fp32 input and a half-precision output (HF RMSNorm upcasts).
  const norms = (arch.normsPerLayer / 2) * (4 + 2) * 2 * h * (b / 2);
  const attention = b * (2 * qDim + 2 * kvDim);
  const mlpWidth = arch.moe ? arch.moe.topK * arch.moe.expertIntermediate + arch.moe.sharedIntermediate : arch.intermediate;
  const mlp = b * (arch.gatedMlp ? 4 : 2) * mlpWidth + (arch.moe ? 3 * b * h * arch.moe.topK : 0);
  const eager = attn === 'eager' ? arch.heads * seqLen * (2 * b + 1) : 0;
  return norms + attention + mlp + eager;
}

function attentionKernel(c: Record<string, unknown>): string {
  const v = text(c, 'flash_attn', 'auto');
  return v === 'disabled' || v === 'eager' ? 'eager' : v === 'fa2' || v === 'fa3' ? 'fa2' : 'sdpa';
}

function computeParts(input: EstimateInput, p: Plan): { phases: Record<string, Parts>; transient: number; cachedLoss: number } {
  const c = input.config;
  const { counts, arch, n, sharding } = p;
  const tr = trainable(p, c);
  const b = p.computeBytes;
  const stage = sharding.stage;
  const useDs = sharding.kind !== 'none';
  const zero3Quant = stage === 3 && p.quantBits === 0;
  const trainBytes = p.pure || (useDs && sharding.kind === 'deepspeed') || zero3Quant ? b : 4;
  // Frozen weights: quantized decoder linears, everything else in compute dtype.
  const frozen = counts.total - tr.replaces;
  let frozenBytes = frozen * b;
  if (p.quantBits > 0) {
    const perParam = p.quantBits === 4 ? (flag(c, 'double_quantization', true) ? 0.516 : 0.5625) : p.quantBits === 8 ? 1.03 : p.quantBits / 8 + 0.07;
    frozenBytes = counts.linearTotal * perParam + (frozen - counts.linearTotal) * (input.upcastNonQuantized ? 4 : b);
  }
  const shardWeights = stage === 3 ? n : 1;
  const weightParts = sharding.offloadParams ? 0 : frozenBytes / shardWeights;
  // DeepSpeed keeps fp32 Adam states and masters beside half-precision modules;
  // FSDP and plain PyTorch hold states in the trainable parameters' dtype.
  const deepspeed = sharding.kind === 'deepspeed';
  const opt = optimizer(c, deepspeed ? 4 : trainBytes);
  let trainW = tr.params * trainBytes;
  let grads = tr.params * (deepspeed ? b : trainBytes);
  let states = tr.params * opt.state;
  let masters = deepspeed && !p.pure ? tr.params * 4 : 0;
  if (flag(c, 'use_badam')) {
    // One layer at a time carries fp32 master, grad and Adam states.
    const block = counts.largestLayer;
    states = block * 16;
    grads = block * b;
  }
  // GaLore/APOLLO step parameter by parameter (no foreach temporary, ms-swift
  // GaLore row m276); layer-wise they step during backward like optimizer-in-backward.
  const projectedOptim = flag(c, 'use_galore') || flag(c, 'use_apollo');
  const layerwise = (flag(c, 'use_galore') && flag(c, 'galore_layerwise')) || (flag(c, 'use_apollo') && flag(c, 'apollo_layerwise'));
  if (projectedOptim) {
    const r = number(c, flag(c, 'use_galore') ? 'galore_rank' : 'apollo_rank', 16);
    const mats = counts.linears.filter((g) => !g.expert);
    // Per m x n matrix (m <= n): an m x r projector in the weight dtype and two
    // r x n Adam moments, fp32 or 8-bit (LLaMA-Factory picks GaLoreAdamW8bit for
    // the 8-bit optims). GaLore/Q-GaLore 7B pre-training rows m242, m247.
    const momentBytes = opt.state === 2 ? 1 : 4;
    const projected = mats.reduce((s, g) => s + g.count * (r * Math.min(g.dIn, g.dOut) * b + 2 * r * Math.max(g.dIn, g.dOut) * momentBytes), 0);
    const rest = tr.params - mats.reduce((s, g) => s + g.count * g.dIn * g.dOut, 0);
    states = projected + Math.max(0, rest) * opt.state;
    if (layerwise) grads = counts.largestLayer * trainBytes;
  }
  if (stage >= 1) { states /= n; masters /= n; }
  if (stage >= 2) grads /= n;
  if (stage >= 3) trainW /= n;
  if (input.optimizerInBackward) grads = counts.largestLayer * trainBytes;
  if (sharding.offloadOptimizer) { states = 0; masters = 0; }
  if (sharding.offloadParams) trainW = 0;
  // FSDP's CPU offload moves the sharded gradients to the host as well.
  if (sharding.offloadParams && sharding.kind === 'fsdp') grads = 0;
  const weights = weightParts + trainW;

  // Activations
  const attn = attentionKernel(c);
  const compiled = flag(c, 'torch_compile');
  const perLayer = layerActivationBytes(arch, p.seqLen, attn, b) * (compiled ? COMPILED_ACTIVATION_FACTOR : 1);
  const liger = flag(c, 'enable_liger_kernel') || flag(c, 'use_unsloth');
  const legacy = /^4\.([0-3]\d|4[0-5])\b/.test(input.transformersVersion ?? '');
  const perLogit = liger
    ? FUSED_LOSS_BYTES_PER_LOGIT
    : compiled ? COMPILED_LOSS_BYTES_PER_LOGIT : legacy ? LEGACY_LOSS_BYTES_PER_LOGIT : LOSS_BYTES_PER_LOGIT;
  // In fp32 the logits double but the fp32 upcast copy disappears: same bytes
  // per logit (PEFT fp32 rows m236-m241, transformers BERT row m287).
  const loss = p.tokens * arch.vocab * perLogit;
  let layersSaving = arch.layers;
  if (p.method === 'freeze') layersSaving = Math.min(arch.layers, Math.abs(number(c, 'freeze_trainable_layers', 2)) || 2);
  const offloadGc = flag(c, 'use_unsloth_gc') || flag(c, 'use_unsloth');
  const saved = p.checkpointing
    ? (offloadGc ? 0 : layersSaving * 2 * arch.hidden * p.tokens * (b / 2))
    : layersSaving * perLayer * p.tokens;
  const recompute = p.checkpointing ? perLayer * p.tokens * 1.5 : 0;
  const dropoutBytes = p.checkpointing ? LORA_DROPOUT_BYTES_CHECKPOINTED : LORA_DROPOUT_BYTES;
  const dropout = number(c, 'lora_dropout', 0) > 0 && p.method === 'lora' ? dropoutBytes * arch.hidden * p.tokens * layersSaving : 0;
  // The legacy loss path leaves freed fp32 logits blocks in the allocator's cache.
  const cachedLoss = legacy && !liger && !compiled ? Math.min(p.tokens * arch.vocab * LEGACY_CACHED_BYTES_PER_LOGIT, LEGACY_CACHED_CAP_GIB * GIB) : 0;
  const largestLinear = Math.max(...counts.linears.map((g) => g.dIn * g.dOut));
  const dora = flag(c, 'use_dora') ? counts.largestLayer / 4 * b : 0;
  const dequant = p.quantBits > 0 ? largestLinear * b : 0;
  const gathered = stage === 3 ? Math.min(counts.largestLayer * 2, 1e9) * b : 0;
  const bucket = stage === 3 && deepspeed ? Math.min((counts.total / n) * 4, 1e9 * 4) * (tr.params > counts.total / 2 ? 1 : 0) : 0;
  const ddpBuckets = n > 1 && !useDs ? grads : 0;
  const accumulating = number(c, 'gradient_accumulation_steps', 1) > 1;
  const vocabGrad = tr.embeddingTrainable ? counts.embedding * trainBytes : 0;
  const persistent = { weights, 'optimizer states': states + masters };
  const phases: Record<string, Parts> = {
    ...(input.unchunkedNf4Load && p.quantBits === 4
      ? { 'model load': { weights: weightParts, 'quantization temporaries': largestLinear * (b + NF4_UNCHUNKED_BYTES_PER_ELEMENT) } }
      : {}),
    'forward/loss': {
      ...persistent,
      gradients: accumulating ? grads + ddpBuckets : 0,
      activations: saved + dropout + dora + dequant + gathered,
      'logits and loss': loss,
    },
    backward: {
      ...persistent,
      gradients: grads + ddpBuckets + vocabGrad,
      activations: recompute + dropout / layersSaving + dora + dequant + gathered,
    },
    'optimizer step': {
      ...persistent,
      gradients: grads + ddpBuckets,
      // DeepSpeed runs its own fused Adam; in-backward steps never hold all grads.
      'optimizer temporaries': (deepspeed || input.optimizerInBackward || projectedOptim ? 0 : (opt.temp * tr.params) / (stage >= 1 ? n : 1)) + bucket,
    },
  };
  return { phases, transient: saved + loss + recompute, cachedLoss };
}

const round = (x: number): number => Math.round(x * 100) / 100;

const KEY_FOR: Record<string, string> = {
  weights: 'model_name_or_path',
  'optimizer states': 'optim',
  gradients: 'finetuning_type',
  activations: 'cutoff_len',
  'logits and loss': 'per_device_train_batch_size',
  'optimizer temporaries': 'optim',
  'quantization temporaries': 'quantization_bit',
};

const remembered = new WeakMap<Architecture, Map<string, MemoryEstimate>>();

/**
 * The estimate for `input`. Equal inputs share one result (an edit elsewhere in
 * the file, a hover or a lens ask again), so callers must not modify it.
 */
export function estimateMemory(input: EstimateInput): MemoryEstimate {
  const { arch, ...model } = input.model;
  // Messages in the result follow the active locale, so it is part of the key.
  const key = `${getLocale()}${fingerprint({ ...input, model })}`;
  let byInput = remembered.get(arch);
  if (!byInput) remembered.set(arch, (byInput = new Map()));
  let estimate = byInput.get(key);
  if (!estimate) {
    estimate = computeEstimate(input);
    if (byInput.size >= 64) byInput.clear();
    byInput.set(key, estimate);
  }
  return estimate;
}

/** A text that differs whenever `value` does (NaN, Infinity and undefined included, unlike JSON). */
function fingerprint(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).map((k) => `${JSON.stringify(k)}:${fingerprint(record[k])}`).join(',')}}`;
}

function computeEstimate(input: EstimateInput): MemoryEstimate {
  const p = plan(input);
  const { phases, transient, cachedLoss } = computeParts(input, p);
  let peakName = '';
  let peak = -1;
  for (const [name, parts] of Object.entries(phases)) {
    const total = Object.values(parts).reduce((s, x) => s + x, 0);
    if (total > peak) { peak = total; peakName = name; }
  }
  const allocated = peak / GIB;
  const reserved = allocated + RESERVED_SLACK_OF_TRANSIENT * (transient / GIB) + RESERVED_SLACK_FIXED_GIB + cachedLoss / GIB;
  const extra = CUDA_CONTEXT_GIB + (p.n > 1 ? NCCL_GIB : 0);
  const device = reserved + extra;
  const breakdown = Object.entries(phases[peakName])
    .filter(([, v]) => v > 0)
    .map(([name, v]) => ({ name, GiB: round(v / GIB) }));
  breakdown.push({ name: 'allocator cache', GiB: round(reserved - allocated) });
  breakdown.push({ name: 'CUDA context' + (p.n > 1 ? ' + NCCL' : ''), GiB: round(extra) });
  const largest = breakdown.slice(0, -2).reduce((a, x) => (x.GiB > a.GiB ? x : a), { name: 'weights', GiB: -1 });
  let dominantKey = KEY_FOR[largest.name] ?? 'model_name_or_path';
  if (largest.name === 'weights' && p.method === 'full') dominantKey = 'finetuning_type';
  if (largest.name === 'activations' && !p.checkpointing) dominantKey = 'disable_gradient_checkpointing';
  p.assumptions.unshift(t('peak during {0}', memoryLabel(peakName)));
  const spread = input.model.approximate ? 0.3 : 0.12;
  return {
    allocatedGiB: round(allocated),
    reservedGiB: round(reserved),
    deviceGiB: round(device),
    lowGiB: round(allocated * (1 - spread)),
    highGiB: round(device * (1 + spread)),
    breakdown,
    assumptions: p.assumptions,
    dominantKey,
  };
}
