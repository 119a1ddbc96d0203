// Accelerate's config file (`accelerate launch --config_file A.yaml`, or the
// default `$HF_HOME/accelerate/default_config.yaml`): what it says about the
// run, and what accelerate would refuse in it. The keys, choices and checks
// follow accelerate's own reader: src/accelerate/commands/config/config_args.py
// (ClusterConfig fields; unknown top-level keys raise ValueError; a missing
// `distributed_type` raises), commands/config/cluster.py (the fsdp_config and
// deepspeed_config keys it writes) and utils/constants.py (FSDP choices).
import type { Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../../document';

export type FsdpStrategy = 'full_shard' | 'shard_grad_op' | 'no_shard' | 'hybrid_shard' | 'hybrid_shard_zero2';

export interface AccelerateFsdp {
  version: number;
  strategy: FsdpStrategy;
  offloadParams: boolean;
  activationCheckpointing: boolean;
  cpuRamEfficientLoading: boolean;
  wrapPolicy: string | undefined;
}

export interface AccelerateDeepSpeed {
  zeroStage: number | undefined;
  offloadOptimizer: string | undefined;
  offloadParam: string | undefined;
  /** `deepspeed_config_file` as written (a DeepSpeed JSON that replaces the fields above). */
  configFile: string | undefined;
}

export interface AccelerateConfig {
  computeEnvironment: string;
  distributedType: string | undefined;
  numProcesses: number | undefined;
  numMachines: number;
  mixedPrecision: string | undefined;
  fsdp: AccelerateFsdp | undefined;
  deepspeed: AccelerateDeepSpeed | undefined;
}

/** ClusterConfig's fields, plus the two older keys process_config converts. */
export const ACCELERATE_KEYS = new Set([
  'compute_environment', 'distributed_type', 'mixed_precision', 'use_cpu', 'debug', 'num_processes', 'machine_rank', 'num_machines',
  'gpu_ids', 'main_process_ip', 'main_process_port', 'rdzv_backend', 'same_network', 'main_training_function', 'enable_cpu_affinity',
  'fp8_config', 'deepspeed_config', 'fsdp_config', 'tp_config', 'megatron_lm_config', 'ipex_config', 'mpirun_config', 'downcast_bf16',
  'tpu_name', 'tpu_zone', 'tpu_use_cluster', 'tpu_use_sudo', 'command_file', 'commands', 'tpu_vm', 'tpu_env', 'dynamo_config',
  'fp16', 'dynamo_backend',
]);

export const FSDP_KEYS = new Set([
  'fsdp_version', 'fsdp_auto_wrap_policy', 'fsdp_transformer_layer_cls_to_wrap', 'fsdp_min_num_params', 'fsdp_backward_prefetch',
  'fsdp_forward_prefetch', 'fsdp_offload_params', 'fsdp_sharding_strategy', 'fsdp_reshard_after_forward', 'fsdp_state_dict_type',
  'fsdp_sync_module_states', 'fsdp_use_orig_params', 'fsdp_cpu_ram_efficient_loading', 'fsdp_activation_checkpointing',
]);

export const DEEPSPEED_KEYS = new Set([
  'deepspeed_config_file', 'zero_stage', 'offload_optimizer_device', 'offload_param_device', 'offload_optimizer_nvme_path',
  'offload_param_nvme_path', 'gradient_accumulation_steps', 'gradient_clipping', 'zero3_init_flag', 'zero3_save_16bit_model',
  'deepspeed_hostfile', 'deepspeed_multinode_launcher', 'deepspeed_exclusion_filter', 'deepspeed_inclusion_filter', 'deepspeed_moe_layer_cls_names',
]);

/** The allowed values of the keys accelerate turns into enums or checks. */
export const CHOICES: Record<string, readonly (string | number | boolean)[]> = {
  compute_environment: ['LOCAL_MACHINE', 'AMAZON_SAGEMAKER'],
  distributed_type: ['NO', 'MULTI_CPU', 'MULTI_GPU', 'MULTI_NPU', 'MULTI_MLU', 'MULTI_SDAA', 'MULTI_MUSA', 'MULTI_XPU', 'MULTI_HPU', 'MULTI_NEURON', 'DEEPSPEED', 'FSDP', 'XLA', 'MEGATRON_LM', 'TP'],
  mixed_precision: ['no', 'fp16', 'bf16', 'fp8'],
  fsdp_version: [1, 2],
  fsdp_sharding_strategy: ['FULL_SHARD', 'SHARD_GRAD_OP', 'NO_SHARD', 'HYBRID_SHARD', 'HYBRID_SHARD_ZERO2', 1, 2, 3, 4, 5],
  fsdp_auto_wrap_policy: ['TRANSFORMER_BASED_WRAP', 'SIZE_BASED_WRAP', 'NO_WRAP'],
  fsdp_backward_prefetch: ['BACKWARD_PRE', 'BACKWARD_POST', 'NO_PREFETCH'],
  fsdp_state_dict_type: ['FULL_STATE_DICT', 'LOCAL_STATE_DICT', 'SHARDED_STATE_DICT'],
  zero_stage: [0, 1, 2, 3],
  offload_optimizer_device: ['none', 'cpu', 'nvme'],
  offload_param_device: ['none', 'cpu', 'nvme'],
};

/** Keys checked by type: counts of at least 1 (-1 means "all"), and booleans (not downcast_bf16, which accelerate config writes as the string 'no'). */
export const COUNTS = new Set(['num_processes', 'num_machines']);
export const BOOLEANS = new Set(['use_cpu', 'debug', 'same_network', 'fsdp_offload_params', 'fsdp_cpu_ram_efficient_loading', 'fsdp_activation_checkpointing', 'fsdp_sync_module_states', 'fsdp_use_orig_params', 'fsdp_forward_prefetch', 'zero3_init_flag', 'zero3_save_16bit_model']);

const STRATEGY_BY_NUMBER: FsdpStrategy[] = ['full_shard', 'shard_grad_op', 'no_shard', 'hybrid_shard', 'hybrid_shard_zero2'];

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function bool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|yes|1)$/i.test(v));
}

function strategyOf(fsdp: Record<string, unknown>): FsdpStrategy {
  const written = fsdp.fsdp_sharding_strategy;
  if (typeof written === 'number' && STRATEGY_BY_NUMBER[written - 1]) return STRATEGY_BY_NUMBER[written - 1];
  if (typeof written === 'string' && STRATEGY_BY_NUMBER.includes(written.toLowerCase() as FsdpStrategy)) return written.toLowerCase() as FsdpStrategy;
  // FSDP2 (and FSDP1 from accelerate 1.6 on) say it with reshard_after_forward: true = full shard, false = ZeRO-2-like.
  const reshard = fsdp.fsdp_reshard_after_forward;
  if (typeof reshard === 'string' && STRATEGY_BY_NUMBER.includes(reshard.toLowerCase() as FsdpStrategy)) return reshard.toLowerCase() as FsdpStrategy;
  if (reshard === false || (typeof reshard === 'string' && /^false$/i.test(reshard))) return 'shard_grad_op';
  return 'full_shard';
}

function device(v: unknown): string | undefined {
  return typeof v === 'string' && v.toLowerCase() !== 'none' ? v.toLowerCase() : undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/** What an accelerate config says, from its top-level values (as parseConfig reads them). */
export function describeAccelerate(values: Record<string, unknown>): AccelerateConfig {
  const distributedType = typeof values.distributed_type === 'string' ? values.distributed_type.toUpperCase() : undefined;
  const fsdpValues = record(values.fsdp_config) ?? {};
  const dsValues = record(values.deepspeed_config) ?? {};
  const version = Number(fsdpValues.fsdp_version) === 2 ? 2 : 1;
  const stage = Number(dsValues.zero_stage);
  return {
    computeEnvironment: typeof values.compute_environment === 'string' ? values.compute_environment : 'LOCAL_MACHINE',
    distributedType,
    // process_config: distributed_type NO without num_processes means one process.
    numProcesses: positive(values.num_processes) ?? (distributedType === 'NO' ? 1 : undefined),
    numMachines: positive(values.num_machines) ?? 1,
    // `mixed_precision: no` unquoted reads as false in YAML 1.1.
    mixedPrecision: typeof values.mixed_precision === 'string' ? values.mixed_precision.toLowerCase() : values.mixed_precision === false ? 'no' : values.fp16 === true ? 'fp16' : undefined,
    fsdp: distributedType === 'FSDP'
      ? {
          version,
          strategy: strategyOf(fsdpValues),
          offloadParams: bool(fsdpValues.fsdp_offload_params),
          activationCheckpointing: bool(fsdpValues.fsdp_activation_checkpointing),
          cpuRamEfficientLoading: bool(fsdpValues.fsdp_cpu_ram_efficient_loading),
          wrapPolicy: typeof fsdpValues.fsdp_auto_wrap_policy === 'string' ? fsdpValues.fsdp_auto_wrap_policy : undefined,
        }
      : undefined,
    deepspeed: distributedType === 'DEEPSPEED'
      ? {
          zeroStage: Number.isInteger(stage) ? stage : undefined,
          offloadOptimizer: device(dsValues.offload_optimizer_device),
          offloadParam: device(dsValues.offload_param_device),
          configFile: typeof dsValues.deepspeed_config_file === 'string' && dsValues.deepspeed_config_file.trim() ? dsValues.deepspeed_config_file.trim() : undefined,
        }
      : undefined,
  };
}

/** The top-level values of a parsed accelerate config. */
export function accelerateValues(doc: ConfigDocument): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [k, e] of doc.byKey) values[k] = e.value;
  return values;
}

/** A YAML document that is an accelerate config: `distributed_type` (required by accelerate) plus another of its keys, and nothing of LLaMA-Factory's. */
export function looksLikeAccelerate(doc: ConfigDocument): boolean {
  if (!doc.byKey.has('distributed_type') || doc.byKey.has('model_name_or_path') || doc.byKey.has('model')) return false;
  let known = 0;
  for (const k of doc.byKey.keys()) if (ACCELERATE_KEYS.has(k)) known++;
  return known >= 2 && known * 2 >= doc.byKey.size;
}

/** Where a nested key of a mapping entry sits (its key range), for diagnostics inside fsdp_config/deepspeed_config. */
export function nestedKeys(doc: ConfigDocument, entry: ConfigEntry): { key: string; value: unknown; keyRange: Range; valueRange: Range }[] {
  const node = entry.node;
  const values = record(entry.value);
  if (!node || !values || !('items' in node)) return [];
  const out: { key: string; value: unknown; keyRange: Range; valueRange: Range }[] = [];
  for (const item of node.items as { key?: { range?: number[]; toString(): string }; value?: { range?: number[] } | null }[]) {
    const kr = item.key?.range;
    if (!kr) continue;
    const key = String(item.key);
    const vr = item.value?.range ?? [kr[1], kr[1]];
    out.push({ key, value: values[key], keyRange: { start: doc.positionAt(kr[0]), end: doc.positionAt(kr[1]) }, valueRange: { start: doc.positionAt(vr[0]), end: doc.positionAt(vr[1]) } });
  }
  return out;
}
