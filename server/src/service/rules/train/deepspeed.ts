// The DeepSpeed config a YAML names under `deepspeed:` (read by
// context/config-files/deepspeed.ts): a missing or broken file stops the
// launch, and its explicit (non-"auto") values must agree with the YAML.
import { viaText } from '../../files';
import type { ResolvedFile } from '../../files';
import { asObject, loadDeepSpeed } from '../../context/config-files/deepspeed';
import type { DeepSpeedConfig } from '../../context/config-files/deepspeed';
import type { AnalysisContext } from '../../context';
import { argValue, pyTruthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import type { Finding } from '../rule';

/** The DeepSpeed fields transformers fills from the YAML and checks when not "auto". */
interface Pairing {
  path: string[];
  keys: string[];
  yaml(ctx: AnalysisContext): unknown;
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

function mismatches(ctx: AnalysisContext, file: ResolvedFile | undefined, ds: DeepSpeedConfig): Finding[] {
  const out: Finding[] = [];
  for (const p of PAIRINGS) {
    const dsValue = at(ds.config, p.path);
    const yamlValue = p.yaml(ctx);
    if (dsValue === 'auto' || !comparable(dsValue) || !comparable(yamlValue) || equal(dsValue, yamlValue)) continue;
    const field = p.path.join('.');
    out.push({
      code: 'deepspeed-value-mismatch',
      severity: ERROR,
      at: 'deepspeed',
      related: p.keys,
      message: t('{0} sets `{1}` to {2} but the YAML gives {3} = {4}; transformers refuses DeepSpeed values that disagree with the training arguments. Set `{1}` to "auto" in the JSON, or make the YAML match.',
        where(file), field, JSON.stringify(dsValue), p.keys.join(' / '), JSON.stringify(yamlValue)),
      data: { field, dsValue, yamlValue },
    });
  }
  return out;
}

export const deepspeedRule = defineRule({
  codes: ['deepspeed-file-missing', 'deepspeed-invalid-json', 'deepspeed-value-mismatch'],
  covers: ['R101', 'R102', 'R103'],
  check(ctx) {
    const l = loadDeepSpeed(ctx);
    switch (l.kind) {
      case 'none':
        return [];
      case 'missing':
        return { code: 'deepspeed-file-missing', severity: ERROR, at: 'deepspeed', onValue: true,
          message: t('DeepSpeed config `{0}` was not found next to this config, in any folder above it, or in the workspace roots. LLaMA-Factory resolves it against the folder it is launched from; fix the path or create the file.', l.reference) };
      case 'malformed':
        return { code: 'deepspeed-invalid-json', severity: ERROR, at: 'deepspeed', onValue: true,
          message: t('{0} cannot be read as a JSON object ({1}); transformers would stop while loading it.', l.path ? `\`${l.path}\`` : t('This DeepSpeed JSON'), l.reason) };
      case 'ok':
        return mismatches(ctx, l.file, l.ds);
    }
  },
});
