// Reads the memory-relevant LLaMA-Factory keys from a config, applying
// LLaMA-Factory's (and the HF Trainer's) defaults where a key is absent.

type Config = Record<string, unknown>;

export function flag(c: Config, key: string, fallback = false): boolean {
  const v = c[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0 && !/^(false|0|no|off)$/i.test(v);
  if (typeof v === 'number') return v !== 0;
  return fallback;
}

export function number(c: Config, key: string, fallback: number): number {
  const v = c[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function text(c: Config, key: string, fallback: string): string {
  const v = c[key];
  return typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : fallback;
}

/** Comma-separated (or YAML list) module names. */
export function list(c: Config, key: string, fallback: string[]): string[] {
  const v = c[key];
  if (Array.isArray(v)) return v.map((x) => String(x).trim().toLowerCase()).filter(Boolean);
  if (typeof v === 'string' && v.trim()) return v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  return fallback;
}

export interface ShardingPlan {
  /** 0 = none, 1/2/3 = ZeRO stage (FSDP full_shard counts as 3, shard_grad_op as 2). */
  stage: number;
  offloadOptimizer: boolean;
  offloadParams: boolean;
  kind: 'none' | 'deepspeed' | 'fsdp';
}

function deviceOf(section: unknown): boolean {
  if (!section || typeof section !== 'object') return false;
  const d = (section as Record<string, unknown>)['device'];
  return typeof d === 'string' && d.toLowerCase() !== 'none';
}

/** Sharding from the parsed DeepSpeed JSON or the `fsdp` keys. */
export function shardingPlan(c: Config, deepspeed: unknown): ShardingPlan {
  if (deepspeed && typeof deepspeed === 'object') {
    const zero = (deepspeed as Record<string, unknown>)['zero_optimization'];
    const z = zero && typeof zero === 'object' ? (zero as Record<string, unknown>) : {};
    const stage = typeof z['stage'] === 'number' ? z['stage'] : Number(z['stage'] ?? 0) || 0;
    return {
      stage: Math.min(3, Math.max(0, stage)),
      offloadOptimizer: deviceOf(z['offload_optimizer']),
      offloadParams: deviceOf(z['offload_param']),
      kind: 'deepspeed',
    };
  }
  const fsdp = text(c, 'fsdp', '');
  if (fsdp) {
    const stage = /shard_grad_op|hybrid_shard_zero2/.test(fsdp) ? 2 : /full_shard|hybrid_shard/.test(fsdp) ? 3 : 0;
    const offload = /offload/.test(fsdp) || /offload_params["']?\s*:\s*true/i.test(String(c['fsdp_config'] ?? ''));
    return { stage, offloadOptimizer: offload, offloadParams: offload, kind: 'fsdp' };
  }
  return { stage: 0, offloadOptimizer: false, offloadParams: false, kind: 'none' };
}
