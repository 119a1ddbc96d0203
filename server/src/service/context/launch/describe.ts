// The launch in words and as data: one line for the hover, the code lens and
// the Estimate Memory view ("Launched as: accelerate · FSDP full shard · 2 GPUs
// · params offloaded (train.sh:3)"), and the CLI's JSON `launch` object. What
// the YAML itself sets (its DeepSpeed file, `fsdp`) is passed in by the caller.
import { t } from '../../l10n';
import type { Distributed, LaunchContext } from './index';
import { distributedOf } from './index';

/** What the YAML says about sharding, read by the caller (the DeepSpeed file is read elsewhere). */
export interface YamlSharding {
  deepspeed: { stage: number | undefined; offloadParam: string | undefined; offloadOptimizer: string | undefined } | undefined;
  fsdp: boolean;
}

export interface LaunchSummary {
  command: string;
  /** `--launch`, `directive`, `setting`, or the file and line it was found at (`train.sh:3`). */
  source: string;
  gpus: number | null;
  nodes: number;
  distributed: Distributed;
  /** The `key=value` overrides as LLaMA-Factory types them (dotted keys kept). */
  overrides: Record<string, unknown>;
}

function how(launch: LaunchContext, yaml: YamlSharding): Distributed {
  return distributedOf(launch, { deepspeed: yaml.deepspeed !== undefined, fsdp: yaml.fsdp });
}

export function summarizeLaunch(launch: LaunchContext, yaml: YamlSharding): LaunchSummary {
  const overrides: Record<string, unknown> = {};
  for (const o of launch.overrides) if (!o.malformed) overrides[o.path.join('.')] = o.value;
  const source = launch.source.kind === 'discovered' ? launch.source.label : launch.source.kind === 'cli' ? '--launch' : launch.source.kind;
  return { command: launch.command, source, gpus: launch.gpus ?? null, nodes: launch.nodes, distributed: how(launch, yaml), overrides };
}

const FSDP_WORDS: Record<string, () => string> = {
  full_shard: () => t('FSDP full shard'),
  shard_grad_op: () => t('FSDP shard grad op'),
  no_shard: () => t('FSDP no shard'),
  hybrid_shard: () => t('FSDP hybrid shard'),
  hybrid_shard_zero2: () => t('FSDP hybrid shard (ZeRO-2)'),
};

/** The sharding in words, and what it offloads (said after the GPU count). */
function shardingWords(launch: LaunchContext, yaml: YamlSharding, distributed: Distributed): { kind: string; offload: string[] } {
  const accelerate = launch.accelerate?.config;
  if (distributed === 'fsdp') {
    const fsdp = yaml.fsdp ? undefined : accelerate?.fsdp;
    if (!fsdp) return { kind: t('FSDP (from the YAML)'), offload: [] };
    return { kind: FSDP_WORDS[fsdp.strategy](), offload: fsdp.offloadParams ? [t('params offloaded')] : [] };
  }
  if (distributed === 'deepspeed') {
    const ds = yaml.deepspeed ?? { stage: accelerate?.deepspeed?.zeroStage, offloadParam: accelerate?.deepspeed?.offloadParam, offloadOptimizer: accelerate?.deepspeed?.offloadOptimizer };
    const offload = [...(ds.offloadParam ? [t('params offloaded')] : []), ...(ds.offloadOptimizer ? [t('optimizer offloaded')] : [])];
    return { kind: ds.stage === undefined ? 'DeepSpeed' : `DeepSpeed ZeRO-${ds.stage}`, offload };
  }
  return { kind: distributed === 'ddp' ? 'DDP' : t('single process'), offload: [] };
}

function gpusText(n: number): string {
  return n === 1 ? t('1 GPU') : t('{0} GPUs', n);
}

/** "Launched as: …", or the plain statement that no launch is known and what is assumed instead. */
export function describeLaunch(launch: LaunchContext | undefined, yaml: YamlSharding, gpuCount: number): string {
  if (!launch) return t('No launch command given or found: assuming {0} and only the DeepSpeed/FSDP the YAML sets.', gpusText(gpuCount));
  const sharding = shardingWords(launch, yaml, how(launch, yaml));
  const parts: string[] = [launch.launcher, sharding.kind];
  if (launch.gpus !== undefined) parts.push(gpusText(launch.gpus));
  if (launch.nodes > 1) parts.push(t('{0} nodes', launch.nodes));
  parts.push(...sharding.offload);
  const overrides = launch.overrides.filter((o) => !o.malformed).length;
  if (overrides) parts.push(overrides === 1 ? t('1 override') : t('{0} overrides', overrides));
  return t('Launched as: {0} ({1})', parts.join(' · '), launch.source.label);
}
