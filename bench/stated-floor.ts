// The least memory a row's stated settings can run in, from facts no estimator
// constant touches: the weights one GPU must hold, and the activations every
// implementation must keep for the backward. A published figure below this floor
// cannot come from the settings the row states (its table mislabels the run), so
// scoring an estimate against it would measure the label, not the estimator.
import { planStep, type EstimateInput, type StepPlan } from '../server/src/service/memory/estimate';

const GiB = 2 ** 30;
/** bf16/fp16: the narrowest dtype any of these runs computes in. */
const HALF = 2;

/**
 * Bytes of weights on one GPU: every parameter at its stored width (4- or 8-bit
 * as the config or checkpoint says, else half precision; a lower bound, since
 * embeddings stay unquantized), over the ranks ZeRO-3 or FSDP full shard split
 * them across, none when offloaded. The config is read as the estimator reads it.
 */
function weightBytes(plan: StepPlan, splitOver: number): number {
  const width = plan.quantBits > 0 ? plan.quantBits / 8 : HALF;
  const share = plan.sharding.offloadParams ? 0 : plan.sharding.stage === 3 ? 1 / plan.n : 1 / splitOver;
  return plan.counts.total * width * share;
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
  return (weightBytes(planStep(input), splitOver) + activationFloor(input)) / GiB;
}
