// The DeepSpeed config a YAML names under `deepspeed:` (a JSON file path, a
// JSON string starting with `{`, or an inline mapping), read once per
// analysis. transformers reads it while parsing the arguments; the DeepSpeed
// rule reports a missing or broken file, and the rules and the memory
// estimate read its ZeRO stage and offload settings from here.
import { resolveReference } from '../../files';
import type { ResolvedFile } from '../../files';
import type { AnalysisContext } from '..';
import { t } from '../../l10n';

export interface DeepSpeedConfig {
  /** The file read; undefined for an inline mapping or JSON string. */
  path: string | undefined;
  config: Record<string, unknown>;
  /** `zero_optimization.stage`, or undefined when not a number. */
  stage: number | undefined;
  /** Device of `offload_optimizer` ("cpu", "nvme") when offloading, else undefined. */
  offloadOptimizer: string | undefined;
  offloadParam: string | undefined;
}

/** What reading the `deepspeed:` reference gave. */
export type DeepSpeedLoad =
  | { kind: 'none' }
  | { kind: 'missing'; reference: string }
  | { kind: 'malformed'; path: string | undefined; reason: string }
  | { kind: 'ok'; file: ResolvedFile | undefined; ds: DeepSpeedConfig };

const cache = new WeakMap<AnalysisContext, DeepSpeedLoad>();

export function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function offloadDevice(section: unknown): string | undefined {
  const device = asObject(section)?.device;
  return typeof device === 'string' && device !== 'none' ? device : undefined;
}

function describe(config: Record<string, unknown>, path: string | undefined): DeepSpeedConfig {
  const zero = asObject(config.zero_optimization);
  const stage = Number(zero?.stage);
  return {
    path,
    config,
    stage: Number.isFinite(stage) ? stage : undefined,
    offloadOptimizer: offloadDevice(zero?.offload_optimizer),
    offloadParam: offloadDevice(zero?.offload_param),
  };
}

function parseObject(text: string): Record<string, unknown> | string {
  try {
    const v = asObject(JSON.parse(text));
    return v ?? t('the JSON is not an object');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function load(ctx: AnalysisContext): DeepSpeedLoad {
  const value = ctx.doc.byKey.get('deepspeed')?.value;
  const inline = asObject(value);
  if (inline) return { kind: 'ok', file: undefined, ds: describe(inline, undefined) };
  if (typeof value !== 'string' || value.trim() === '') return { kind: 'none' };
  if (value.trim().startsWith('{')) {
    const parsed = parseObject(value);
    return typeof parsed === 'string' ? { kind: 'malformed', path: undefined, reason: parsed } : { kind: 'ok', file: undefined, ds: describe(parsed, undefined) };
  }
  const file = resolveReference(value, ctx.configPath, ctx.host);
  if (!file) return { kind: 'missing', reference: value };
  const parsed = parseObject(ctx.host.readFile(file.path) ?? '');
  return typeof parsed === 'string' ? { kind: 'malformed', path: file.path, reason: parsed } : { kind: 'ok', file, ds: describe(parsed, file.path) };
}

/** The result of reading the config's `deepspeed:` reference (cached per analysis). */
export function loadDeepSpeed(ctx: AnalysisContext): DeepSpeedLoad {
  let l = cache.get(ctx);
  if (!l) {
    l = load(ctx);
    cache.set(ctx, l);
  }
  return l;
}

/** The DeepSpeed config the YAML uses, or undefined when none is set or it cannot be read. */
export function readDeepSpeed(ctx: AnalysisContext): DeepSpeedConfig | undefined {
  const l = loadDeepSpeed(ctx);
  return l.kind === 'ok' ? l.ds : undefined;
}

/** transformers' `is_deepspeed_zero3_enabled()` for this config. */
export function zero3(ctx: AnalysisContext): boolean {
  return readDeepSpeed(ctx)?.stage === 3;
}
