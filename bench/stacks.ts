// What the calibration rows' training stacks do differently from LLaMA-Factory,
// applied to the estimator's phases. The estimator users run models
// LLaMA-Factory only; everything here exists for the benchmark's rows.
import { FITTED, stepMemory, summarizeStep, type FittedConstants, type MemoryEstimate, type StepMemory } from '../server/src/service/memory/estimate';
import { flag } from '../server/src/service/memory/settings';
import type { EstimateInput } from '../server/src/service/memory/estimate';

/** Behaviours of other stacks (or older libraries) a row needs. */
export interface StackTraits {
  /**
   * transformers < 4.46: `logits.float()` in every *ForCausalLM forward plus a
   * shifted fp32 copy (transformers issue #30860, PR #33902).
   */
  legacyLoss: boolean;
  /** The training loop holds the model's output (its logits) until the backward is done. */
  outputHeldThroughBackward: boolean;
  /** The model's own loss takes the cross-entropy of half-precision logits (no fp32 upcast). */
  halfPrecisionLoss: boolean;
  /** torchtune's optimizer_in_bwd: each gradient is applied and freed as soon as it exists. */
  optimizerInBackward: boolean;
  /**
   * PEFT's prepare_model_for_kbit_training (peft/utils/other.py) casts the
   * non-quantized weights of a QLoRA model (embeddings, lm_head, norms) to fp32
   * right after loading; axolotl then casts norms and embeddings back to the
   * compute dtype before the adapters exist (axolotl loaders/model.py,
   * `should_convert`: LoRA/QLoRA without FSDP, or Cut Cross Entropy). The fp32
   * copies are a model-load peak, not part of the training step.
   */
  kbitUpcastAtLoad: boolean;
  /**
   * torchao before mid-2024 quantized bf16 weights to NF4 with an unchunked
   * nearest-level search (torchtune's Llama-2 QLoRA recipes): loading, not
   * training, can set the peak.
   */
  unchunkedNf4Load: boolean;
}

export const LF_TRAITS: StackTraits = { legacyLoss: false, outputHeldThroughBackward: false, halfPrecisionLoss: false, optimizerInBackward: false, kbitUpcastAtLoad: false, unchunkedNf4Load: false };

/** The estimator's fitted constants plus those only the stack adapters use. */
export interface BenchConstants extends FittedConstants {
  /**
   * Bytes per logit on the legacy loss path under the HF Trainer (ms-swift,
   * axolotl and PEFT rows of transformers < 4.46); formulas.md §6.3 puts it near
   * 24. The Trainer's compute_loss drops the model output before the backward,
   * which by itself predicts less (12): the fit also carries what those stacks'
   * remote-code models and variable-length batches add. A separate constant for
   * blocks cached between variable-length steps was dropped: fitted beside this
   * one, it went to zero.
   */
  legacyLossBytesPerLogit: number;
}

export const BENCH_FITTED: Readonly<BenchConstants> = {
  ...FITTED,
  legacyLossBytesPerLogit: 32.09,
};

/**
 * Unchunked NF4 conversion compares every element with the 16 NF4 levels in
 * fp32: pytorch/ao PR #315 quantized a 4096 x 128256 weight and peaked 35.8 GB
 * above the 2.1 GB input, ~68 bytes per element.
 */
const NF4_UNCHUNKED_BYTES_PER_ELEMENT = 68;
/**
 * Bytes per logit on the legacy loss path when the training loop keeps the
 * model's output alive through the backward (Answer.AI's train.py: `output =
 * model(...)`, `output.loss.backward()`, then `output = None`), transformers
 * < 4.46 (4.38 LlamaForCausalLM.forward): the fp32 logits the output holds (4),
 * the log-softmax output cross_entropy saves (4), nll_loss's gradient (4) and
 * log_softmax's backward output (4). The bf16 logits are gone (`.float()` saves
 * nothing) and the shifted `.contiguous()` copy is freed after the forward, as
 * nothing saves it.
 */
const HELD_OUTPUT_LEGACY_LOSS_BYTES_PER_LOGIT = 4 + 4 + 4 + 4;
/**
 * Cross-entropy on bf16 logits with a shifted copy (`shift_logits.contiguous()`):
 * the shifted logits (2), the log-softmax output saved for backward (2), its
 * incoming gradient (2) and the gradient scattered back to the unshifted logits (2).
 */
const HALF_LOSS_BYTES_PER_LOGIT = 2 + 2 + 2 + 2;
/**
 * The same loss under torch.autocast, where log_softmax and nll_loss run in fp32
 * (pytorch aten/src/ATen/autocast_mode.cpp, the fp32 policy; torch.amp docs,
 * "CUDA Ops that can autocast to float32"): beside the bf16 logits (2) and their
 * shifted copy (2), an fp32 copy of the shifted logits (4) and the fp32
 * log-softmax output (4); the backward's fp32 gradients take the place of the
 * last two. The HF Trainer autocasts only without DeepSpeed, which manages
 * precision itself (transformers 4.32 trainer.py sets use_cuda_amp when
 * `(fp16 or bf16) and not is_deepspeed_enabled`).
 */
const AUTOCAST_HALF_LOSS_BYTES_PER_LOGIT = 2 + 2 + 4 + 4;

function fusedOrCompiledLoss(c: Record<string, unknown>): boolean {
  return flag(c, 'enable_liger_kernel') || flag(c, 'use_unsloth') || flag(c, 'torch_compile');
}

function applyLegacyLoss(step: StepMemory, c: Record<string, unknown>, k: BenchConstants, outputHeld: boolean): void {
  if (fusedOrCompiledLoss(c)) return;
  const logits = step.plan.tokens * step.plan.arch.vocab;
  const forward = step.phases['forward/loss'];
  const before = forward['logits and loss'];
  forward['logits and loss'] = logits * (outputHeld ? HELD_OUTPUT_LEGACY_LOSS_BYTES_PER_LOGIT : k.legacyLossBytesPerLogit);
  step.transient += forward['logits and loss'] - before;
}

function applyHalfPrecisionLoss(step: StepMemory, c: Record<string, unknown>): void {
  if (fusedOrCompiledLoss(c)) return;
  const autocast = (flag(c, 'bf16') || flag(c, 'fp16')) && step.plan.sharding.kind !== 'deepspeed';
  const forward = step.phases['forward/loss'];
  const before = forward['logits and loss'];
  forward['logits and loss'] = step.plan.tokens * step.plan.arch.vocab * (autocast ? AUTOCAST_HALF_LOSS_BYTES_PER_LOGIT : HALF_LOSS_BYTES_PER_LOGIT);
  step.transient += forward['logits and loss'] - before;
}

function applyOptimizerInBackward(step: StepMemory): void {
  const { plan, phases } = step;
  const full = phases['optimizer step'].gradients;
  const oneLayer = plan.counts.largestLayer * plan.trainBytes;
  for (const parts of Object.values(phases)) {
    if (parts.gradients > 0) parts.gradients += oneLayer - full;
  }
  phases['optimizer step']['optimizer temporaries'] = 0;
}

/** The frozen weights held before the adapters and optimizer exist: what a model-load phase starts from. */
function loadedWeights(step: StepMemory): number {
  return step.phases['optimizer step'].weights - step.plan.trainable.params * step.plan.trainBytes;
}

function applyKbitUpcastAtLoad(step: StepMemory): void {
  const { plan, phases } = step;
  if (plan.quantBits === 0 || plan.sharding.offloadParams) return;
  const nonQuantized = plan.counts.total - plan.trainable.replaces - plan.counts.linearTotal;
  const shards = plan.sharding.stage === 3 ? plan.n : 1;
  step.phases = { 'model load': { weights: loadedWeights(step) + (nonQuantized * (4 - plan.computeBytes)) / shards }, ...phases };
}

function applyUnchunkedNf4Load(step: StepMemory): void {
  const { plan, phases } = step;
  if (plan.quantBits !== 4) return;
  const largestLinear = Math.max(...plan.counts.linears.map((g) => g.dIn * g.dOut));
  step.phases = {
    'model load': { weights: loadedWeights(step), 'quantization temporaries': largestLinear * (plan.computeBytes + NF4_UNCHUNKED_BYTES_PER_ELEMENT) },
    ...phases,
  };
}

/** The estimate of a row as its own stack would run it. */
export function stackEstimate(input: EstimateInput, traits: StackTraits, k: BenchConstants = BENCH_FITTED): MemoryEstimate {
  const step = stepMemory(input, k);
  if (traits.legacyLoss) applyLegacyLoss(step, input.config, k, traits.outputHeldThroughBackward);
  if (traits.halfPrecisionLoss) applyHalfPrecisionLoss(step, input.config);
  if (traits.optimizerInBackward) applyOptimizerInBackward(step);
  if (traits.kbitUpcastAtLoad) applyKbitUpcastAtLoad(step);
  if (traits.unchunkedNf4Load) applyUnchunkedNf4Load(step);
  return summarizeStep(step, input.model.approximate, k);
}
