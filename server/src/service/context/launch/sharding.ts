// What the launch adds to the estimator's input. The estimator already models
// FSDP from the `fsdp` key (transformers' FSDPOption words) and DeepSpeed from a
// DeepSpeed config; an accelerate launch with FSDP or DeepSpeed is mapped onto
// those same inputs when the YAML sets neither. (With both, transformers uses
// the YAML's settings, so the YAML's stay.)
import { readJson, resolveReference } from '../../files';
import type { ServiceHost } from '../../types';
import type { AccelerateFsdp } from './accelerate';
import type { LaunchContext } from './index';

/** The `fsdp` key value that means the same as an accelerate FSDP plugin. */
export function fsdpOption(fsdp: AccelerateFsdp): string {
  return [fsdp.strategy, 'auto_wrap', ...(fsdp.offloadParams ? ['offload'] : [])].join(' ');
}

export function withLaunchSharding(
  launch: LaunchContext | undefined,
  config: Record<string, unknown>,
  deepspeed: unknown,
  host: ServiceHost,
  configPath: string,
): { config: Record<string, unknown>; deepspeed: unknown } {
  const accelerate = launch?.accelerate?.config;
  if (!accelerate || deepspeed !== undefined || config.deepspeed || config.fsdp) return { config, deepspeed };
  if (accelerate.fsdp) {
    const fsdp = accelerate.fsdp;
    return { config: { ...config, fsdp: fsdpOption(fsdp), fsdp_config: { version: fsdp.version, offload_params: fsdp.offloadParams, activation_checkpointing: fsdp.activationCheckpointing } }, deepspeed };
  }
  const ds = accelerate.deepspeed;
  if (!ds) return { config, deepspeed };
  if (ds.configFile) {
    const file = resolveReference(ds.configFile, configPath, host);
    return { config, deepspeed: file ? readJson(host, file.path) : undefined };
  }
  const offload = (device: string | undefined) => (device ? { device } : undefined);
  return {
    config,
    deepspeed: { zero_optimization: { stage: ds.zeroStage ?? 0, offload_optimizer: offload(ds.offloadOptimizer), offload_param: offload(ds.offloadParam) } },
  };
}
