// Where the model states live on one GPU once DeepSpeed ZeRO, FSDP or DDP has
// placed them: sharded, gathered per layer, in communication buckets, or on the
// CPU. Each term follows what the library allocates; the comments name where.
import type { ShardingPlan } from './sharding';

/** Weights, gradients and optimizer states of the whole model, before any sharding. */
export interface ModelStates {
  /** Frozen weights in their storage format. */
  frozen: number;
  trainable: number;
  gradients: number;
  /** Optimizer states plus DeepSpeed's fp32 master copy. */
  optimizer: number;
  /** Optimizer-step temporaries. */
  stepTemp: number;
}

/** The model's sizes the placement needs. */
export interface ModelShape {
  n: number;
  computeBytes: number;
  trainBytes: number;
  /** Parameters, all and trainable. */
  params: number;
  trainableParams: number;
  /** Parameters of the largest decoder layer (one wrapped unit / one gathered module). */
  largestLayer: number;
  /** Input and output embeddings: FSDP's root unit, outside every decoder layer. */
  rootParams: number;
  /** The larger of the input embedding and the output layer, each one module to ZeRO-3. */
  largestEmbedding: number;
  /** Norms, biases and other small vectors (below ZeRO-3's persistence threshold). */
  smallParams: number;
}

export interface Placement {
  /** Parameters held on this GPU through the step. */
  weights: number;
  optimizer: number;
  /** Gradient memory from the backward through the optimizer step. */
  gradients: number;
  /** Gradient memory allocated up front, so also present in the forward. */
  residentGradients: number;
  /** Parameters gathered for the module being computed (and the prefetched one). */
  gathered: number;
  /** Optimizer-step temporaries: foreach buffers, fp32 gradient copies. */
  stepTemp: number;
}

/**
 * Bytes per parameter of a gathered copy: the compute dtype, or less where the
 * weights are stored quantized (gathered packed, dequantized per matmul).
 */
function gatheredPerParam(s: ModelStates, m: ModelShape): number {
  const stored = m.params > 0 ? (s.frozen + s.trainable) / m.params : 0;
  return Math.min(stored, m.computeBytes);
}

/**
 * Plain PyTorch, or DDP: every rank holds everything, and DDP's reducer
 * allocates gradient buckets as large as the gradients at construction
 * (torch/nn/parallel/distributed.py, Reducer; the HF Trainer leaves
 * gradient_as_bucket_view off).
 */
function replicated(s: ModelStates, m: ModelShape): Placement {
  const buckets = m.n > 1 ? s.gradients : 0;
  return {
    weights: s.frozen + s.trainable, optimizer: s.optimizer, gradients: s.gradients + buckets,
    residentGradients: buckets, gathered: 0, stepTemp: s.stepTemp,
  };
}

/**
 * DeepSpeed ZeRO. Stage 0 with bf16 runs BF16_Optimizer (runtime/bf16_optimizer.py):
 * fp32 master and Adam states partitioned over the ranks, and an fp32 gradient
 * accumulation buffer for every trainable parameter. Stages 1-2
 * (runtime/zero/stage_1_and_2.py): fp32 state partitions; gradients reduced
 * through `reduce_bucket_size` buckets (two with overlap_comm), stage 2 keeping
 * only its partition; the step copies the partition's gradients flat and converts them to fp32.
 * Stage 3 (runtime/zero/stage3.py): parameters partitioned, gathered module by
 * module (plus the prefetch bucket, at most stage3_max_live_parameters), small
 * parameters below the persistence threshold kept whole; a contiguous gradient
 * partition allocated at start-up; the step copies one `sub_group_size` group
 * of gradients flat and to fp32 at a time. Offloaded optimizer states, masters and fp32
 * gradients live on the CPU; offloaded parameters too, except those gathered.
 */
function deepSpeed(s: ModelStates, m: ModelShape, plan: ShardingPlan): Placement {
  const { n, computeBytes: b, trainableParams: pt } = m;
  const buf = plan.buffers!;
  const stage = plan.stage;
  const buckets = stage >= 1 ? buf.reduceBucket * b * (buf.overlapComm ? 2 : 1) : 0;
  const optimizer = plan.offloadOptimizer ? 0 : s.optimizer / n;
  if (stage === 0) {
    const accumulation = pt * 4;
    return { weights: s.frozen + s.trainable, optimizer, gradients: accumulation, residentGradients: accumulation, gathered: 0, stepTemp: 0 };
  }
  // The step flattens the partition's gradients (`self.flatten(self.averaged_gradients[i])`,
  // a new tensor in the gradient dtype) and converts that copy `.to()` fp32: both exist
  // at once (stage_1_and_2.py step, stage3.py _prepare_fp32_grad_for_sub_group); in fp32
  // training the conversion returns the same tensor.
  const stepBytesPerParam = b === 4 ? 4 : b + 4;
  const fp32Partition = plan.offloadOptimizer ? 0 : (pt / n) * stepBytesPerParam;
  if (stage < 3) {
    const grads = stage === 1 ? pt * b : plan.offloadOptimizer ? 0 : (pt * b) / n;
    return { weights: s.frozen + s.trainable, optimizer, gradients: grads + buckets, residentGradients: 0, gathered: 0, stepTemp: fp32Partition };
  }
  const persistent = Math.min(m.smallParams, m.params) * b;
  const stored = plan.offloadParams ? 0 : (s.frozen + s.trainable) / n;
  // A module is gathered whole for its forward and backward however large (the embedding
  // of a 150k-250k vocabulary often outweighs a decoder layer); stage3_max_live_parameters
  // bounds only what is prefetched or kept beside it.
  const needed = Math.max(m.largestLayer, m.largestEmbedding);
  const live = Math.max(needed, Math.min(buf.maxLiveParameters, needed + buf.prefetchBucket));
  const partition = plan.offloadOptimizer ? 0 : (pt * b) / n;
  return {
    weights: stored + persistent,
    optimizer,
    gradients: partition + buckets,
    residentGradients: buf.contiguousGradients ? partition : 0,
    gathered: live * gatheredPerParam(s, m),
    stepTemp: plan.offloadOptimizer ? 0 : Math.min(buf.subGroupSize, pt / n) * stepBytesPerParam,
  };
}

/**
 * PyTorch FSDP as the HF Trainer / accelerate set it up (transformer-layer
 * auto-wrap, BACKWARD_PRE prefetch). full_shard (torch/distributed/fsdp,
 * FlatParamHandle): every unit's flat parameter sharded over the ranks in its
 * stored dtype; a decoder-layer unit is all-gathered in the compute dtype for
 * its forward and again for its backward, while the next one is prefetched; the
 * root unit (embeddings, lm_head) stays gathered from forward to backward; the
 * unit's full gradient exists until reduce-scattered. shard_grad_op keeps the
 * gathered parameters from forward to backward. no_shard is DDP. CPU offload
 * moves the sharded parameters, gradients and the optimizer step to the host.
 * QLoRA: bnb_4bit_quant_storage packs the 4-bit weights into the compute dtype,
 * so they shard and gather at their quantized size. FSDP1 all-gathers straight
 * into the unit's padded flat parameter, whose views are the parameters
 * (fsdp/_flat_param.py, FlatParamHandle.unshard); FSDP2 all-gathers into one
 * buffer and copies it out into per-parameter tensors before freeing it
 * (fsdp/_fully_shard/_fsdp_collectives.py, foreach_all_gather and
 * foreach_all_gather_copy_out), so a unit's parameters briefly exist twice.
 */
function fsdp(s: ModelStates, m: ModelShape, plan: ShardingPlan): Placement {
  if (plan.stage === 0) return replicated(s, m);
  const { n, trainableParams: pt } = m;
  // Gathered copies are cast to the compute dtype (MixedPrecision.param_dtype).
  const perParam = gatheredPerParam(s, m);
  const unitGrads = m.params > 0 ? (pt / m.params) * m.largestLayer * m.trainBytes : 0;
  const copyOut = plan.fsdpVersion === 2 ? m.largestLayer : 0;
  const gathered = plan.stage === 3
    ? (m.rootParams + 2 * m.largestLayer + copyOut) * perParam
    : (m.params + copyOut) * perParam;
  return {
    weights: plan.offloadParams ? 0 : (s.frozen + s.trainable) / n,
    optimizer: plan.offloadOptimizer ? 0 : s.optimizer / n,
    gradients: (plan.offloadParams ? 0 : s.gradients / n) + unitGrads,
    residentGradients: 0,
    gathered,
    stepTemp: plan.offloadOptimizer ? 0 : s.stepTemp / n,
  };
}

/** The states one GPU holds under the run's sharding. */
export function place(s: ModelStates, m: ModelShape, plan: ShardingPlan): Placement {
  if (plan.kind === 'deepspeed') return deepSpeed(s, m, plan);
  if (plan.kind === 'fsdp') return fsdp(s, m, plan);
  return replicated(s, m);
}
