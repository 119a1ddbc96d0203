// The least memory a row's stated settings can run in, from facts no estimator
// constant touches: the weights one GPU must hold, and the activations every
// implementation must keep for the backward. A published figure below this floor
// cannot come from the settings the row states (its table mislabels the run), so
// scoring an estimate against it would measure the label, not the estimator.
import { countParams } from '../server/src/service/models/params';
import type { EstimateInput } from '../server/src/service/memory/estimate';

const GiB = 2 ** 30;
/** bf16/fp16: the narrowest dtype any of these runs computes in. */
const HALF = 2;

/** Bytes per weight at rest: 4-bit and 8-bit checkpoints or bitsandbytes, else half precision. */
function bytesPerWeight(input: EstimateInput): number {
  const bits = Number(input.config['quantization_bit']);
  const id = input.model.id;
  if (bits === 4 || /int4|awq/i.test(id)) return 0.5;
  if (bits === 8 || /int8/i.test(id)) return 1;
  return HALF;
}

/** Ranks the weights are split over: ZeRO-3 and FSDP full shard partition them; offloaded ones leave the GPU. */
function weightShare(input: EstimateInput, splitOver: number): number {
  const z = (input.deepspeed as { zero_optimization?: { stage?: number; offload_param?: unknown } } | undefined)?.zero_optimization;
  const fsdp = String(input.config['fsdp'] ?? '');
  if ((z?.stage === 3 && z.offload_param) || /offload/.test(fsdp)) return 0;
  if (z?.stage === 3 || /full_shard|hybrid_shard/.test(fsdp)) return 1 / input.gpuCount;
  return 1 / splitOver;
}

/**
 * Activations saved for the backward, per GPU, only where every sample has the
 * stated length (packed or fixed-length rows). With checkpointing each decoder
 * layer keeps its input (torch.utils.checkpoint saves the inputs of the wrapped
 * layer); without it, also the gated MLP's gate and up projections, which
 * `act(gate) * up` needs in its backward (a fused kernel still keeps both).
 */
function activationFloor(input: EstimateInput): number {
  const c = input.config;
  if (!c['packing'] || c['use_unsloth_gc']) return 0;
  const { layers, hidden, intermediate, gatedMlp, moe } = input.model.arch;
  const tokens = Number(c['per_device_train_batch_size'] ?? 1) * Number(c['cutoff_len'] ?? 0);
  const mlp = !c['disable_gradient_checkpointing'] || !gatedMlp || moe ? 0 : 2 * intermediate;
  return layers * tokens * (hidden + mlp) * HALF;
}

/** GiB one GPU needs at the least under the row's stated settings; 0 for a stand-in architecture. */
export function statedFloorGiB(input: EstimateInput, splitOver: number): number {
  if (input.model.approximate) return 0;
  const weights = countParams(input.model.arch).total * bytesPerWeight(input) * weightShare(input, splitOver);
  return (weights + activationFloor(input)) / GiB;
}
