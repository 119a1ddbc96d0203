// The VRAM estimate: what one GPU holds at the worst moment of a training step
// under LLaMA-Factory. Pure function of config + architecture; it models what
// LLaMA-Factory does only (other stacks are the benchmark's business).
import type { ResolvedModel } from '../models/resolve';
import { countParams, moduleName, type LinearGroup, type ParamCounts } from '../models/params';
import type { Architecture } from '../models/architecture';
import { CUDA_CONTEXT_GIB } from '../hardware/catalog';
import lists from '../facts/lists.json';
import { pyNumber } from '../values';
import { flag, list, number, text, valueOf, type Config } from './settings';
import { shardingPlan, type ShardingPlan } from './sharding';
import { place, type ModelShape, type ModelStates } from './placement';
import { getLocale, t } from '../l10n';
import { memoryLabel } from './labels';
import { shownRange, type SetupClass } from './range';

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
  /**
   * Tokens in the longest batch the data yields when its lengths are known: LLaMA-Factory pads
   * each batch to its longest sample, so without packing the peak follows this, not cutoff_len
   * (which stays the bound). Absent: every batch is taken as padded to cutoff_len.
   */
  sequenceTokens?: number;
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
  /** Tokens per sequence the estimate assumed (cutoff_len, or the data's longest batch). */
  sequenceTokens: number;
}

const GIB = 2 ** 30;

/**
 * The constants still fitted to measurements rather than derived from what a
 * library does. `npm run bench:memory` fits each on every measured calibration
 * row it moves (coordinate descent on the mean absolute error, until a sweep
 * changes nothing); the values below are that fit on all rows (a unit test
 * checks it). The bench re-fits them with one source left out at a time and
 * prints the rows each moves and how much each moves the error
 * (docs/memory-accuracy.md, sensitivity table).
 */
export interface FittedConstants {
  /**
   * torch_compile fuses the per-layer norm / SwiGLU intermediates: the share of
   * layer activations kept (the torchtune rows that compile). A bytes-per-logit
   * constant for a compiled loss was dropped: fitted, it came out above the
   * uncompiled loss's derived 14, which compiling cannot do, so the rows do not
   * identify it.
   */
  compiledActivationShare: number;
  /**
   * Allocator slack: reserved minus allocated as a share of the short-lived
   * tensors (activations, logits) plus a fixed part, fitted on the rows that
   * report reserved memory only (an nvidia-smi reading also carries what older
   * stacks add, which the estimator users run must not absorb).
   */
  reservedSlackShare: number;
  reservedSlackGiB: number;
  /**
   * Backward of one checkpointed layer holds its recomputed activations plus
   * their gradients: this multiple of one layer's saved activations (the rows
   * with checkpointing).
   */
  recomputeShare: number;
}

export const FITTED: Readonly<FittedConstants> = {
  compiledActivationShare: 0.937,
  reservedSlackShare: 0.1338,
  reservedSlackGiB: 0.7543,
  recomputeShare: 2.079,
};

/**
 * Bytes per (token x vocabulary entry) when the backward of the loss begins,
 * transformers >= 4.46 (loss/loss_utils.py ForCausalLMLoss): the model's bf16
 * logits (2), the log-softmax output cross_entropy saves in fp32 (4), the fp32
 * gradient nll_loss's backward writes over it (4) and log_softmax's backward
 * output (4). Our H200 LoRA rows (1k-16k tokens, 151 936 vocabulary) fit 14 too.
 */
const LOSS_BYTES_PER_LOGIT = 2 + 4 + 4 + 4;
/** With Liger's fused linear cross-entropy (or unsloth's) only chunks exist. */
const FUSED_LOSS_BYTES_PER_LOGIT = 1;
/** NCCL communicator buffers per rank on multi-GPU runs (formulas.md §7). */
const NCCL_GIB = 0.5;
/** Stages whose batches hold a chosen and a rejected sequence each (LLaMA-Factory's pairwise data). */
const PAIRED_STAGES: readonly string[] = lists.enums.stages_requiring_ranking_datasets;

export type Method = 'full' | 'freeze' | 'lora' | 'oft';

export interface Trainable {
  params: number;
  /** Frozen weights the trainable parameters replace (full and freeze tuning). */
  replaces: number;
  embeddingTrainable: boolean;
}

/** What the estimate is worked out from; the benchmark's adapter reads it too. */
export interface StepPlan {
  arch: Architecture;
  counts: ParamCounts;
  n: number;
  sharding: ShardingPlan;
  /** Bytes per element of weights and activations in the forward. */
  computeBytes: number;
  /** Bytes per trainable parameter (4 when LLaMA-Factory upcasts them). */
  trainBytes: number;
  method: Method;
  quantBits: number;
  checkpointing: boolean;
  tokens: number;
  seqLen: number;
  trainable: Trainable;
  assumptions: string[];
}

export type Parts = Record<string, number>;

/** Bytes per component in each phase of a step, before the allocator and the driver add theirs. */
export interface StepMemory {
  plan: StepPlan;
  phases: Record<string, Parts>;
  /** Short-lived tensors the caching allocator keeps blocks for. */
  transient: number;
}

function precisionBytes(c: Config, assumptions: string[]): number {
  const half = flag(c, 'bf16') || flag(c, 'pure_bf16') || flag(c, 'fp16');
  if (!half) assumptions.push(t('no bf16/fp16: weights and activations in fp32'));
  return half ? 2 : 4;
}

function methodOf(c: Config): Method {
  const m = text(c, 'finetuning_type');
  return m === 'full' || m === 'freeze' || m === 'oft' ? m : 'lora';
}

/** Bits of the frozen weights: bitsandbytes/HQQ/EETQ on the fly, or a pre-quantized checkpoint named so. */
function quantizationBits(c: Config, modelId: string, assumptions: string[]): number {
  const onTheFly = ['bnb', 'bitsandbytes', 'hqq', 'eetq'].includes(text(c, 'quantization_method'));
  const bits = onTheFly ? number(c, 'quantization_bit') : 0;
  if (bits) return bits;
  const preQuant = /gptq|awq|int4|4bit|bnb-4|int8|8bit/i.exec(modelId);
  if (!preQuant) return 0;
  // The bit width may follow the method name (`-GPTQ-Int8`).
  const width = /int8|8bit/i.test(modelId) ? 8 : 4;
  assumptions.push(t('pre-quantized checkpoint ({0}): {1}-bit weights', preQuant[0], width));
  return width;
}

/**
 * Bytes per trainable parameter. LLaMA-Factory's init_adapter (model/adapter.py)
 * casts trainable parameters to fp32 unless pure_bf16 or BAdam, or ZeRO-3
 * without quantization_bit; the DeepSpeed engine then casts the whole module to
 * the half dtype again and keeps fp32 copies inside its optimizer
 * (deepspeed/runtime/engine.py, _configure_distributed_model).
 */
function trainableBytes(c: Config, sharding: ShardingPlan, computeBytes: number): number {
  if (computeBytes === 4 || sharding.kind === 'deepspeed') return computeBytes;
  const pure = flag(c, 'pure_bf16') || flag(c, 'use_badam');
  return pure ? computeBytes : 4;
}

/** Layers freeze tuning trains: the last n, or the first n when negative (FinetuningArguments.freeze_trainable_layers). */
function trainedLayers(c: Config, arch: Architecture): number {
  const n = pyNumber(valueOf(c, 'freeze_trainable_layers'));
  return Math.max(1, Math.min(arch.layers, Math.abs(n !== undefined && Number.isFinite(n) ? n : 0)));
}

/** The linears `lora_target` / `oft_target` adapt; `all` is every nn.Linear but lm_head. */
function adaptedLinears(c: Config, method: Method, counts: ParamCounts): LinearGroup[] {
  const targets = list(c, method === 'oft' ? 'oft_target' : 'lora_target');
  // Fused expert tensors are not nn.Linear modules, so `all` skips them.
  if (targets.includes('all')) return counts.linears.filter((g) => !g.expert);
  return counts.linears.filter((g) => targets.includes(moduleName(g)) || targets.includes(g.name));
}

/** Trainable parameters and the share of the frozen weights they replace. */
function trainableParams(c: Config, method: Method, counts: ParamCounts, arch: Architecture): Trainable {
  if (method === 'full') return { params: counts.total, replaces: counts.total, embeddingTrainable: true };
  if (method === 'freeze') {
    const perLayer = (counts.total - counts.embedding - counts.lmHead) / arch.layers;
    const extra = list(c, 'freeze_extra_modules').some((m) => /embed|lm_head/.test(m)) ? counts.embedding : 0;
    const params = perLayer * trainedLayers(c, arch) + extra;
    return { params, replaces: params, embeddingTrainable: extra > 0 };
  }
  const rank = method === 'oft' ? number(c, 'oft_block_size') / 2 : number(c, 'lora_rank');
  const dora = flag(c, 'use_dora');
  let params = 0;
  for (const g of adaptedLinears(c, method, counts)) params += g.count * rank * (g.dIn + g.dOut) + (dora ? g.count * g.dOut : 0);
  // additional_target is PEFT's modules_to_save: a trainable copy beside the frozen original.
  let copies = 0;
  for (const m of list(c, 'additional_target')) {
    if (/embed/.test(m)) copies += counts.embedding;
    else if (/lm_head|output/.test(m)) copies += counts.lmHead || counts.embedding;
  }
  return { params: params + copies, replaces: 0, embeddingTrainable: copies > 0 };
}

/** Micro-batch in sequences; pairwise stages concatenate chosen and rejected. */
function sequencesPerStep(c: Config, stage: string, assumptions: string[]): number {
  if (!('per_device_train_batch_size' in c)) assumptions.push(t('per_device_train_batch_size unset: HF default 8'));
  const batch = Math.max(1, number(c, 'per_device_train_batch_size'));
  return PAIRED_STAGES.includes(stage) ? 2 * batch : batch;
}

export function planStep(input: EstimateInput): StepPlan {
  const c = input.config;
  const assumptions: string[] = [];
  const { arch } = input.model;
  const counts = countParams(arch);
  const computeBytes = precisionBytes(c, assumptions);
  const method = methodOf(c);
  const quantBits = quantizationBits(c, input.model.id, assumptions);
  const sharding = shardingPlan(c, input.deepspeed, arch.hidden);
  const stage = text(c, 'stage');
  // DataArguments: packing left unset means packing for pre-training only.
  const packingSet = valueOf(c, 'packing');
  const packed = (packingSet === null || packingSet === undefined ? stage === 'pt' : flag(c, 'packing')) || flag(c, 'neat_packing');
  const cutoff = Math.max(1, number(c, 'cutoff_len'));
  const fromData = !packed && input.sequenceTokens !== undefined && input.sequenceTokens > 0;
  const seqLen = fromData ? Math.min(cutoff, Math.ceil(input.sequenceTokens!)) : cutoff;
  const sequences = sequencesPerStep(c, stage, assumptions);
  assumptions.push(packed
    ? t('packed rows of {0} tokens', seqLen)
    : fromData
      ? t('the longest batch padded to {0} tokens, the longest sample of the data (cutoff_len {1})', seqLen, cutoff)
      : t('every batch padded to cutoff_len {0} (the longest possible sample)', seqLen));
  if (input.model.approximate) assumptions.push(t('architecture approximated: {0}', input.model.detail));
  return {
    arch, counts, sharding, computeBytes, method, quantBits, seqLen, assumptions,
    n: Math.max(1, Math.floor(input.gpuCount || 1)),
    trainBytes: trainableBytes(c, sharding, computeBytes),
    checkpointing: !flag(c, 'disable_gradient_checkpointing'),
    tokens: sequences * seqLen,
    trainable: trainableParams(c, method, counts, arch),
  };
}

interface OptimizerBytes {
  /** State bytes per trainable parameter. */
  state: number;
  /** Step-time temporary bytes per trainable parameter. */
  temp: number;
}

/** Optimizer state and step temporaries per trainable parameter whose state dtype is `stateBytes` wide. */
function optimizerBytes(c: Config, stateBytes: number): OptimizerBytes {
  if (flag(c, 'use_badam')) return { state: 0, temp: 0 };
  if (flag(c, 'use_adam_mini')) return { state: stateBytes, temp: 0 };
  if (flag(c, 'use_muon')) return { state: stateBytes * 1.1, temp: 0 };
  const optim = text(c, 'optim');
  // Paged states live in CUDA unified memory, outside PyTorch's allocator.
  if (/paged/.test(optim)) return { state: 0, temp: 0 };
  if (/8bit/.test(optim)) return { state: 2, temp: 0 };
  if (/4bit/.test(optim)) return { state: 1, temp: 0 };
  if (/adafactor/.test(optim)) return { state: 0.1, temp: stateBytes * 0.5 };
  if (/sgd/.test(optim)) return { state: 0, temp: 0 };
  if (/lion|adagrad|rmsprop/.test(optim)) return { state: stateBytes, temp: 0 };
  // torch.optim.AdamW: the fused kernel updates in place; the foreach path
  // (`adamw_torch`) builds a param-sized sqrt(v) list in the step
  // (torch/optim/adamw.py _multi_tensor_adamw, `torch._foreach_sqrt(exp_avg_sqs)`).
  const foreach = /^adamw_(torch|hf)$|^adamw$/.test(optim);
  return { state: 2 * stateBytes, temp: foreach ? stateBytes : 0 };
}

/** Frozen weights: quantized decoder linears, everything else in the compute dtype. */
function frozenWeightBytes(c: Config, p: StepPlan): number {
  const { counts, computeBytes } = p;
  const frozen = counts.total - p.trainable.replaces;
  if (p.quantBits === 0) return frozen * computeBytes;
  // bitsandbytes NF4: 4 bits + an absmax per 64 weights, double-quantized to 8 bits
  // with one fp32 constant per 256 blocks (QLoRA paper §3): 0.516 B, 0.5625 B without.
  const perParam = p.quantBits === 4
    ? (flag(c, 'double_quantization') ? 0.516 : 0.5625)
    : p.quantBits === 8 ? 1.03 : p.quantBits / 8 + 0.07;
  return counts.linearTotal * perParam + (frozen - counts.linearTotal) * computeBytes;
}


/** GaLore / APOLLO: projected moments instead of full Adam states (GaLore paper; LLaMA-Factory trainer_utils._create_galore_optimizer). */
function projectedStates(c: Config, p: StepPlan, opt: OptimizerBytes): number {
  const rank = number(c, flag(c, 'use_galore') ? 'galore_rank' : 'apollo_rank');
  const mats = p.counts.linears.filter((g) => !g.expert);
  // Per m x n matrix (m <= n): an m x r projector in the weight dtype and two r x n
  // moments, fp32 or 8-bit (the 8-bit optims pick GaLoreAdamW8bit).
  const momentBytes = opt.state === 2 ? 1 : 4;
  const projected = mats.reduce((s, g) => s + g.count * (rank * Math.min(g.dIn, g.dOut) * p.computeBytes + 2 * rank * Math.max(g.dIn, g.dOut) * momentBytes), 0);
  const rest = p.trainable.params - mats.reduce((s, g) => s + g.count * g.dIn * g.dOut, 0);
  return projected + Math.max(0, rest) * opt.state;
}

/** Weights, gradients and optimizer states per GPU before sharding and offload. */
function unshardedStates(c: Config, p: StepPlan): ModelStates {
  const { trainable, counts, trainBytes } = p;
  const deepspeed = p.sharding.kind === 'deepspeed';
  // DeepSpeed's optimizer keeps fp32 Adam states and an fp32 master beside the
  // half-precision module; PyTorch keeps states in the parameters' dtype.
  const opt = optimizerBytes(c, deepspeed ? 4 : trainBytes);
  // pure_bf16 / BAdam keep no fp32 master (LLaMA-Factory refuses pure_bf16 with ZeRO-3).
  const masters = deepspeed && p.computeBytes < 4 && !flag(c, 'pure_bf16') && !flag(c, 'use_badam') ? 4 : 0;
  const states: ModelStates = {
    frozen: frozenWeightBytes(c, p),
    trainable: trainable.params * trainBytes,
    gradients: trainable.params * trainBytes,
    optimizer: trainable.params * (opt.state + masters),
    stepTemp: trainable.params * opt.temp,
  };
  if (flag(c, 'use_badam')) {
    // One block at a time carries fp32 master, gradient and Adam states (BAdam README: 2M + 16M/D).
    states.optimizer = counts.largestLayer * 16;
    states.gradients = counts.largestLayer * p.computeBytes;
  }
  if (flag(c, 'use_galore') || flag(c, 'use_apollo')) {
    states.optimizer = projectedStates(c, p, opt) + trainable.params * masters;
    // They step parameter by parameter (no foreach temporary, ms-swift GaLore row m276);
    // layer-wise they step inside the backward, one layer's gradients at a time.
    states.stepTemp = 0;
    const layerwise = (flag(c, 'use_galore') && flag(c, 'galore_layerwise')) || (flag(c, 'use_apollo') && flag(c, 'apollo_layerwise'));
    if (layerwise) states.gradients = counts.largestLayer * trainBytes;
  }
  return states;
}


/** Saved activation bytes per token for one decoder layer, without checkpointing. */
function layerActivationBytes(arch: Architecture, seqLen: number, attn: string, b: number): number {
  const h = arch.hidden;
  const qDim = arch.mla ? arch.heads * (arch.mla.qkNopeHeadDim + arch.mla.qkRopeHeadDim) : arch.heads * arch.headDim;
  const kvDim = arch.mla ? qDim : arch.kvHeads * arch.headDim;
  // Norms keep an fp32 input and a half-precision output (transformers' RMSNorm upcasts).
  const norms = (arch.normsPerLayer / 2) * (4 + 2) * 2 * h * (b / 2);
  const attention = b * (2 * qDim + 2 * kvDim);
  const mlpWidth = arch.moe ? arch.moe.topK * arch.moe.expertIntermediate + arch.moe.sharedIntermediate : arch.intermediate;
  const mlp = b * (arch.gatedMlp ? 4 : 2) * mlpWidth + (arch.moe ? 3 * b * h * arch.moe.topK : 0);
  // Eager attention keeps the fp32 scores, the probabilities and the mask per head.
  const eager = attn === 'eager' ? arch.heads * seqLen * (2 * b + 1) : 0;
  return norms + attention + mlp + eager;
}

function attentionKernel(c: Config): string {
  const v = text(c, 'flash_attn');
  return v === 'disabled' || v === 'eager' ? 'eager' : v === 'fa2' || v === 'fa3' ? 'fa2' : 'sdpa';
}

export interface Activations {
  /** Held from the forward until the backward reaches them. */
  saved: number;
  /** One checkpointed layer re-run in the backward, with its gradients. */
  recompute: number;
  /** PEFT's dropped input copies and masks in every layer (no checkpointing). */
  loraDropout: number;
  /** The same for the one layer being recomputed (checkpointing). */
  recomputedDropout: number;
  logits: number;
  /** Weight-sized temporaries: DoRA's merged weight, bitsandbytes' dequantized weight. */
  weightTemps: number;
}

/**
 * LoRA dropout > 0: PEFT applies `dropout(x)` inside every adapted linear
 * (peft/tuners/lora/layer.py Linear.forward), so each keeps a dropped copy of
 * its input in the compute dtype for lora_A's backward and a 1-byte mask for
 * the dropout's, per input feature and token. With dropout 0 it is Identity.
 */
function loraDropoutBytesPerLayer(c: Config, p: StepPlan): number {
  if (p.method !== 'lora' || !(number(c, 'lora_dropout') > 0)) return 0;
  const inputs = adaptedLinears(c, p.method, p.counts)
    .filter((g) => !g.expert)
    .reduce((sum, g) => sum + (g.count / p.arch.layers) * g.dIn, 0);
  return inputs * (p.computeBytes + 1);
}

function lossBytesPerLogit(c: Config): number {
  if (flag(c, 'enable_liger_kernel') || flag(c, 'use_unsloth')) return FUSED_LOSS_BYTES_PER_LOGIT;
  // In fp32 the logits double but the upcast copy disappears: the same bytes
  // per logit (PEFT fp32 rows m236-m241, transformers BERT row m287).
  return LOSS_BYTES_PER_LOGIT;
}

function activations(c: Config, p: StepPlan, k: FittedConstants): Activations {
  const { arch, counts, tokens, computeBytes: b } = p;
  const compiled = flag(c, 'torch_compile');
  const perLayer = layerActivationBytes(arch, p.seqLen, attentionKernel(c), b) * (compiled ? k.compiledActivationShare : 1);
  // LLaMA-Factory's checkpointing wrapper runs frozen layers plainly; in freeze
  // tuning only the trained tail sees inputs that require grad and saves anything.
  const layers = p.method === 'freeze' ? trainedLayers(c, arch) : arch.layers;
  // Checkpointing keeps each layer's input (transformers gradient_checkpointing_enable);
  // unsloth's variant offloads those inputs to the CPU.
  const offloaded = flag(c, 'use_unsloth_gc') || flag(c, 'use_unsloth');
  const saved = p.checkpointing ? (offloaded ? 0 : layers * 2 * arch.hidden * tokens * (b / 2)) : layers * perLayer * tokens;
  const dropout = loraDropoutBytesPerLayer(c, p) * tokens;
  const largestLinear = Math.max(...counts.linears.map((g) => g.dIn * g.dOut));
  // DoRA materialises the merged weight and its column norm per layer (peft/tuners/lora/dora.py).
  const dora = flag(c, 'use_dora') ? (counts.largestLayer / 4) * b : 0;
  // bitsandbytes dequantizes each 4/8-bit weight to the compute dtype for its matmul (bnb functional.dequantize_4bit).
  const dequant = p.quantBits > 0 ? largestLinear * b : 0;
  return {
    saved,
    recompute: p.checkpointing ? perLayer * tokens * k.recomputeShare : 0,
    // Checkpointed layers run their forward without autograd: only the layer being recomputed keeps its copies.
    loraDropout: p.checkpointing ? 0 : dropout * layers,
    recomputedDropout: p.checkpointing ? dropout : 0,
    logits: tokens * arch.vocab * lossBytesPerLogit(c),
    weightTemps: dora + dequant,
  };
}


function shapeOf(p: StepPlan): ModelShape {
  const { counts } = p;
  return {
    n: p.n, computeBytes: p.computeBytes, trainBytes: p.trainBytes,
    params: counts.total, trainableParams: p.trainable.params, largestLayer: counts.largestLayer,
    rootParams: counts.embedding + counts.lmHead, largestEmbedding: Math.max(counts.embedding, counts.lmHead), smallParams: counts.other,
  };
}

/** Bytes per component in each phase of one training step. */
export function stepMemory(input: EstimateInput, k: FittedConstants = FITTED): StepMemory {
  const plan = planStep(input);
  const c = input.config;
  const placed = place(unshardedStates(c, plan), shapeOf(plan), plan.sharding);
  const act = activations(c, plan, k);
  const persistent = { weights: placed.weights, 'optimizer states': placed.optimizer };
  // Accumulating micro-batches keeps the gradients through the next forward;
  // otherwise the Trainer has set them to None (zero_grad(set_to_none=True)).
  const accumulating = number(c, 'gradient_accumulation_steps') > 1;
  // An unsharded trainable embedding's backward builds a dense gradient before accumulating it.
  const vocabGrad = plan.trainable.embeddingTrainable && plan.sharding.kind === 'none' ? plan.counts.embedding * plan.trainBytes : 0;
  const phases: Record<string, Parts> = {
    'forward/loss': {
      ...persistent,
      gradients: accumulating ? placed.gradients : placed.residentGradients,
      activations: act.saved + act.loraDropout + act.weightTemps + placed.gathered,
      'logits and loss': act.logits,
    },
    backward: {
      ...persistent,
      gradients: placed.gradients + vocabGrad,
      activations: act.recompute + act.recomputedDropout + act.weightTemps + placed.gathered,
    },
    'optimizer step': {
      ...persistent,
      gradients: placed.gradients,
      'optimizer temporaries': placed.stepTemp,
    },
  };
  return { plan, phases, transient: act.saved + act.logits + act.recompute };
}

const round = (x: number): number => Math.round(x * 100) / 100;

const KEY_FOR: Record<string, string> = {
  weights: 'model_name_or_path',
  'optimizer states': 'optim',
  gradients: 'finetuning_type',
  activations: 'cutoff_len',
  'logits and loss': 'per_device_train_batch_size',
  'optimizer temporaries': 'optim',
};

/** The phase with the largest total and that total. */
function peakPhase(phases: Record<string, Parts>): { name: string; bytes: number } {
  let peak = { name: '', bytes: -1 };
  for (const [name, parts] of Object.entries(phases)) {
    const bytes = Object.values(parts).reduce((s, x) => s + x, 0);
    if (bytes > peak.bytes) peak = { name, bytes };
  }
  return peak;
}

function dominantKeyOf(breakdown: { name: string; GiB: number }[], plan: StepPlan): string {
  const largest = breakdown.reduce((a, x) => (x.GiB > a.GiB ? x : a), { name: 'weights', GiB: -1 });
  if (largest.name === 'weights' && plan.method === 'full') return 'finetuning_type';
  if (largest.name === 'activations' && !plan.checkpointing) return 'disable_gradient_checkpointing';
  return KEY_FOR[largest.name] ?? 'model_name_or_path';
}

/** Whether one GPU holds everything, or a sharding library or several GPUs place the states (range.ts pools their errors apart). */
export function setupClassOf(plan: StepPlan): SetupClass {
  return plan.n > 1 || plan.sharding.kind !== 'none' ? 'distributed' : 'single';
}

/**
 * The three figures from a step's phases: allocated = the largest phase;
 * reserved adds the caching allocator's slack; nvidia-smi adds the CUDA
 * context and, on several GPUs, NCCL's buffers. The range comes from the
 * held-out errors of each figure (range.ts).
 */
export function summarizeStep(step: StepMemory, approximate: boolean, k: FittedConstants = FITTED): MemoryEstimate {
  const { plan, phases } = step;
  const peak = peakPhase(phases);
  const allocated = peak.bytes / GIB;
  const reserved = allocated + k.reservedSlackShare * (step.transient / GIB) + k.reservedSlackGiB;
  const extra = CUDA_CONTEXT_GIB + (plan.n > 1 ? NCCL_GIB : 0);
  const parts = Object.entries(phases[peak.name])
    .filter(([, v]) => v > 0)
    .map(([name, v]) => ({ name, GiB: round(v / GIB) }));
  const range = shownRange({ allocated, reserved, device: reserved + extra }, setupClassOf(plan), approximate);
  return {
    allocatedGiB: round(allocated),
    reservedGiB: round(reserved),
    deviceGiB: round(reserved + extra),
    lowGiB: round(range.low),
    highGiB: round(range.high),
    breakdown: [
      ...parts,
      { name: 'allocator cache', GiB: round(reserved - allocated) },
      { name: 'CUDA context' + (plan.n > 1 ? ' + NCCL' : ''), GiB: round(extra) },
    ],
    assumptions: [t('peak during {0}', memoryLabel(peak.name)), ...plan.assumptions],
    dominantKey: dominantKeyOf(parts, plan),
    sequenceTokens: plan.seqLen,
  };
}

/**
 * Results remembered per architecture and estimator input, at most `limit` per
 * architecture (all forgotten when full): equal inputs (an edit elsewhere in the
 * file, a hover or a lens asking again) share one answer, so callers must not
 * modify it. `extra` tells apart calls that take more than the input.
 */
export function inputMemo<T>(limit: number): (input: EstimateInput, extra: string, compute: () => T) => T {
  const remembered = new WeakMap<Architecture, Map<string, T>>();
  return (input, extra, compute) => {
    // Messages in a result follow the active locale, so it is part of the key.
    const key = `${getLocale()}${extra}${inputKey(input)}`;
    let byInput = remembered.get(input.model.arch);
    if (!byInput) remembered.set(input.model.arch, (byInput = new Map()));
    let value = byInput.get(key);
    if (value === undefined) {
      value = compute();
      if (byInput.size >= limit) byInput.clear();
      byInput.set(key, value);
    }
    return value;
  };
}

const inputKeys = new WeakMap<EstimateInput, string>();

/** The fingerprint of an input but its architecture (the memo's outer key), worked out once per input object. */
function inputKey(input: EstimateInput): string {
  let key = inputKeys.get(input);
  if (key === undefined) {
    const { arch: _arch, ...model } = input.model;
    inputKeys.set(input, (key = fingerprint({ ...input, model })));
  }
  return key;
}

const remembered = inputMemo<MemoryEstimate>(64);

/** The estimate for `input` (remembered: see inputMemo). */
export function estimateMemory(input: EstimateInput): MemoryEstimate {
  return remembered(input, '', () => summarizeStep(stepMemory(input), input.model.approximate));
}

/** A text that differs whenever `value` does (NaN, Infinity and undefined included, unlike JSON). */
function fingerprint(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).map((k) => `${JSON.stringify(k)}:${fingerprint(record[k])}`).join(',')}}`;
}
