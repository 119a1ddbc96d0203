// The DeepSpeed config a YAML names under `deepspeed:` (a JSON file path, a
// JSON string starting with `{`, or an inline mapping). transformers reads it
// while parsing the arguments: a missing or broken file stops the launch, and
// its explicit (non-"auto") values must agree with the YAML.
import type { Diagnostic } from 'vscode-languageserver-types';
import { resolveReference, ResolvedFile, viaText } from '../../files';
import { makeDiagnostic } from '../../types';
import type { Rule, RuleContext } from '../types';
import { ERROR, relatedAt } from './declare';
import { argValue, isV0, pyTruthy } from '../../values';
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

type Loaded =
  | { kind: 'none' }
  | { kind: 'missing'; reference: string }
  | { kind: 'malformed'; path: string | undefined; reason: string }
  | { kind: 'ok'; file: ResolvedFile | undefined; ds: DeepSpeedConfig };

const cache = new WeakMap<RuleContext, Loaded>();

function asObject(v: unknown): Record<string, unknown> | undefined {
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

function load(ctx: RuleContext): Loaded {
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

function loaded(ctx: RuleContext): Loaded {
  let l = cache.get(ctx);
  if (!l) {
    l = load(ctx);
    cache.set(ctx, l);
  }
  return l;
}

/** The DeepSpeed config the YAML uses, or undefined when none is set or it cannot be read. */
export function readDeepSpeed(ctx: RuleContext): DeepSpeedConfig | undefined {
  const l = loaded(ctx);
  return l.kind === 'ok' ? l.ds : undefined;
}

/** transformers' `is_deepspeed_zero3_enabled()` for this config. */
export function zero3(ctx: RuleContext): boolean {
  return readDeepSpeed(ctx)?.stage === 3;
}

/** The DeepSpeed fields transformers fills from the YAML and checks when not "auto". */
interface Pairing {
  path: string[];
  keys: string[];
  yaml(ctx: RuleContext): unknown;
}

const precision = (half: 'fp16' | 'bf16'): Pairing => ({
  path: [half, 'enabled'],
  keys: [half, `${half}_full_eval`],
  yaml: (ctx) => pyTruthy(argValue(ctx.doc, half)) || pyTruthy(argValue(ctx.doc, `${half}_full_eval`)),
});
const same = (path: string[], key: string): Pairing => ({ path, keys: [key], yaml: (ctx) => argValue(ctx.doc, key) });

const PAIRINGS: Pairing[] = [
  precision('fp16'),
  precision('bf16'),
  same(['train_micro_batch_size_per_gpu'], 'per_device_train_batch_size'),
  same(['gradient_accumulation_steps'], 'gradient_accumulation_steps'),
  same(['gradient_clipping'], 'max_grad_norm'),
  same(['optimizer', 'params', 'lr'], 'learning_rate'),
  same(['optimizer', 'params', 'eps'], 'adam_epsilon'),
  { path: ['optimizer', 'params', 'betas'], keys: ['adam_beta1', 'adam_beta2'], yaml: (ctx) => [argValue(ctx.doc, 'adam_beta1'), argValue(ctx.doc, 'adam_beta2')] },
  same(['optimizer', 'params', 'weight_decay'], 'weight_decay'),
  same(['scheduler', 'params', 'warmup_max_lr'], 'learning_rate'),
];

function at(config: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = config;
  for (const p of path) v = asObject(v)?.[p];
  return v;
}

/** Python equality for the values involved (True == 1, 1e-4 == 0.0001, lists item by item). */
function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  return num(a) === num(b);
}

function comparable(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every(comparable));
}

function where(file: ResolvedFile | undefined): string {
  if (!file) return t('the inline DeepSpeed config');
  return file.via === 'absolute' ? `\`${file.path}\`` : t('`{0}` (found from the {1} {2})', file.path, viaText(file.via), file.base);
}

function mismatches(ctx: RuleContext, file: ResolvedFile | undefined, ds: DeepSpeedConfig): Diagnostic[] {
  const entry = ctx.doc.byKey.get('deepspeed')!;
  const out: Diagnostic[] = [];
  for (const p of PAIRINGS) {
    const dsValue = at(ds.config, p.path);
    const yamlValue = p.yaml(ctx);
    if (dsValue === 'auto' || !comparable(dsValue) || !comparable(yamlValue) || equal(dsValue, yamlValue)) continue;
    const field = p.path.join('.');
    const d = makeDiagnostic(entry.keyRange, ERROR, 'deepspeed-value-mismatch',
      t('{0} sets `{1}` to {2} but the YAML gives {3} = {4}; transformers refuses DeepSpeed values that disagree with the training arguments. Set `{1}` to "auto" in the JSON, or make the YAML match.',
        where(file), field, JSON.stringify(dsValue), p.keys.join(' / '), JSON.stringify(yamlValue)),
      { field, dsValue, yamlValue });
    const related = relatedAt(ctx.doc, p.keys);
    if (related.length) d.relatedInformation = related;
    out.push(d);
  }
  return out;
}

export const deepspeedRule: Rule = {
  codes: ['deepspeed-file-missing', 'deepspeed-invalid-json', 'deepspeed-value-mismatch'],
  covers: ['R101', 'R102', 'R103'],
  check(ctx) {
    const entry = ctx.doc.byKey.get('deepspeed');
    if (!entry || !isV0(ctx.doc)) return [];
    const l = loaded(ctx);
    switch (l.kind) {
      case 'none':
        return [];
      case 'missing':
        return [makeDiagnostic(entry.valueRange, ERROR, 'deepspeed-file-missing',
          t('DeepSpeed config `{0}` was not found next to this config, in any folder above it, or in the workspace roots. LLaMA-Factory resolves it against the folder it is launched from; fix the path or create the file.', l.reference))];
      case 'malformed':
        return [makeDiagnostic(entry.valueRange, ERROR, 'deepspeed-invalid-json',
          t('{0} cannot be read as a JSON object ({1}); transformers would stop while loading it.', l.path ? `\`${l.path}\`` : t('This DeepSpeed JSON'), l.reason))];
      case 'ok':
        return mismatches(ctx, l.file, l.ds);
    }
  },
};
