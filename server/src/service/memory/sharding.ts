// How the training state is spread over the GPUs: DeepSpeed ZeRO (from the
// JSON the YAML names) or PyTorch FSDP (from the `fsdp` / `fsdp_config` keys),
// with the buffer sizes each library allocates.
import { asMapping, pyNumber, pyTruthy } from '../values';
import { text, valueOf, type Config } from './settings';

export interface DeepSpeedBuffers {
  /** Elements per gradient reduce bucket (`reduce_bucket_size`). */
  reduceBucket: number;
  /** Elements gathered ahead of use (ZeRO-3 `stage3_prefetch_bucket_size`). */
  prefetchBucket: number;
  /** Parameters smaller than this stay whole on every rank (ZeRO-3). */
  persistenceThreshold: number;
  /** Upper bound on gathered parameters alive at once (ZeRO-3). */
  maxLiveParameters: number;
  /** Elements the ZeRO-3 optimizer steps at a time (fp32 gradient copy per sub-group). */
  subGroupSize: number;
  /** A second reduce bucket so communication overlaps the backward pass. */
  overlapComm: boolean;
  /** Gradients copied into one pre-allocated partition buffer. */
  contiguousGradients: boolean;
}

export interface ShardingPlan {
  kind: 'none' | 'deepspeed' | 'fsdp';
  /**
   * 0 = nothing sharded, 1 = optimizer states, 2 = + gradients, 3 = + parameters
   * (FSDP full_shard / hybrid_shard = 3, shard_grad_op = 2, no_shard = 0).
   */
  stage: number;
  offloadOptimizer: boolean;
  offloadParams: boolean;
  /** DeepSpeed's buffers with "auto" resolved; undefined for FSDP and plain runs. */
  buffers?: DeepSpeedBuffers;
  /** FSDP1 (FlatParameter) or FSDP2 (per-parameter `fully_shard`); undefined for other runs. */
  fsdpVersion?: 1 | 2;
}

const NONE: ShardingPlan = { kind: 'none', stage: 0, offloadOptimizer: false, offloadParams: false };

function offloadsTo(section: unknown): boolean {
  const device = asMapping(section)?.['device'];
  return typeof device === 'string' && device.toLowerCase() !== 'none';
}

/**
 * A DeepSpeed size: a number, a numeric string as JSON writes 5e8, or "auto",
 * which transformers resolves from the model's hidden size
 * (transformers integrations/deepspeed.py, HfTrainerDeepSpeedConfig.trainer_config_finalize:
 * reduce_bucket_size = h², stage3_prefetch_bucket_size = 0.9·h², stage3_param_persistence_threshold = 10·h).
 */
function size(z: Record<string, unknown>, key: string, auto: number, fallback: number): number {
  const v = z[key];
  if (v === 'auto') return auto;
  const n = pyNumber(v) ?? (typeof v === 'string' ? Number(v) : NaN);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function bool(z: Record<string, unknown>, key: string, fallback: boolean): boolean {
  return key in z ? pyTruthy(z[key]) : fallback;
}

/**
 * Buffer sizes with DeepSpeed's defaults (deepspeed/runtime/zero/config.py,
 * DeepSpeedZeroConfig): buckets 5e8, prefetch 5e7, persistence 1e5, max live
 * 1e9, sub-group 1e9, contiguous_gradients on, overlap_comm on for stage 3 only
 * (its validator `overlap_comm_valid`).
 */
function deepSpeedBuffers(z: Record<string, unknown>, stage: number, hidden: number): DeepSpeedBuffers {
  return {
    reduceBucket: size(z, 'reduce_bucket_size', hidden * hidden, 5e8),
    prefetchBucket: size(z, 'stage3_prefetch_bucket_size', Math.floor(0.9 * hidden * hidden), 5e7),
    persistenceThreshold: size(z, 'stage3_param_persistence_threshold', 10 * hidden, 1e5),
    maxLiveParameters: size(z, 'stage3_max_live_parameters', 1e9, 1e9),
    subGroupSize: size(z, 'sub_group_size', 1e9, 1e9),
    overlapComm: bool(z, 'overlap_comm', stage === 3),
    contiguousGradients: bool(z, 'contiguous_gradients', true),
  };
}

function deepSpeedPlan(json: Record<string, unknown>, hidden: number): ShardingPlan {
  const z = asMapping(json['zero_optimization']) ?? {};
  const raw = pyNumber(z['stage']) ?? Number(z['stage'] ?? 0);
  const stage = Math.min(3, Math.max(0, Number.isFinite(raw) ? Math.floor(raw) : 0));
  return {
    kind: 'deepspeed',
    stage,
    offloadOptimizer: stage > 0 && offloadsTo(z['offload_optimizer']),
    offloadParams: stage === 3 && offloadsTo(z['offload_param']),
    buffers: deepSpeedBuffers(z, stage, hidden),
  };
}

/**
 * A key of `fsdp_config`, with or without the `fsdp_` prefix transformers strips
 * (training_args.py), from an inline dict or, for a string, its JSON text; a file path is not read.
 */
function fsdpSetting(c: Config, key: string): unknown {
  const raw = valueOf(c, 'fsdp_config');
  const cfg = asMapping(raw);
  if (cfg) return cfg[key] ?? cfg[`fsdp_${key}`];
  const m = new RegExp(`["']?(?:fsdp_)?${key}["']?\\s*:\\s*["']?(\\w+)`, 'i').exec(String(raw ?? ''));
  if (!m) return undefined;
  return /^(true|false)$/i.test(m[1]) ? m[1].toLowerCase() === 'true' : m[1];
}

/** FSDP2 when `fsdp_config` says version 2 (transformers passes it to accelerate as fsdp_version). */
function fsdpVersion(c: Config): 1 | 2 {
  return Number(fsdpSetting(c, 'version')) === 2 ? 2 : 1;
}

/**
 * The HF Trainer's `fsdp` option, a space-separated list (transformers
 * training_args.py FSDPOption): full_shard, shard_grad_op, hybrid_shard,
 * hybrid_shard_zero2, no_shard, offload, auto_wrap.
 */
function fsdpPlan(c: Config): ShardingPlan | undefined {
  const v = valueOf(c, 'fsdp');
  const options = (Array.isArray(v) ? v.map(String).join(' ') : text(c, 'fsdp')).toLowerCase();
  if (!options.trim()) return undefined;
  const stage = /shard_grad_op|hybrid_shard_zero2/.test(options) ? 2 : /full_shard|hybrid_shard/.test(options) ? 3 : 0;
  // FSDP's CPUOffload(offload_params=True) keeps parameters and their gradients on
  // the host, and the optimizer steps there (torch/distributed/fsdp/api.py CPUOffload).
  const offload = /\boffload\b/.test(options) || pyTruthy(fsdpSetting(c, 'offload_params'));
  return { kind: 'fsdp', stage, offloadOptimizer: offload, offloadParams: offload, fsdpVersion: fsdpVersion(c) };
}

/** Sharding from the parsed DeepSpeed JSON, else the `fsdp` keys. */
export function shardingPlan(c: Config, deepspeed: unknown, hidden: number): ShardingPlan {
  const json = asMapping(deepspeed);
  if (json) return deepSpeedPlan(json, hidden);
  return fsdpPlan(c) ?? NONE;
}
