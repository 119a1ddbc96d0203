// Settings that must agree with the model itself: LoRA target names against the
// architecture's module names, the chat template against LLaMA-Factory's model
// registry, and fp16 against a checkpoint trained in bf16. Silent when the model
// cannot be identified (a generic architecture sized from the name is a guess).
import * as path from 'node:path';
import type { Fix, KeyOp } from '../../fixes';
import moduleTable from '../../facts/module-names.json';
import templateTable from '../../facts/model-templates.json';
import { resolveModel } from '../../models/resolve';
import { foreignValue } from '../../schema/foreign';
import type { ResolvedModel } from '../../models/resolve';
import type { AnalysisContext } from '../../context';
import { defineRule, ERROR, WARNING } from '../rule';
import { argValue, isTraining, names, stringArg, truthy } from '../../values';
import { t } from '../../l10n';

interface Family { types: string[]; roles: Record<string, string>; extra?: string[] }
const families = Object.values(moduleTable.families as Record<string, Family>);
const familyOf = new Map(families.flatMap((f) => f.types.map((type) => [type, f] as const)));
/** Module name → its role (q, k, up, ...) in whichever family uses that name. */
const roleOf = new Map(families.flatMap((f) => Object.entries(f.roles).map(([role, name]) => [name, role] as const)));

function model(ctx: AnalysisContext): ResolvedModel | undefined {
  const name = stringArg(ctx.doc, 'model_name_or_path');
  if (!name) return undefined;
  const found = resolveModel(name, path.dirname(ctx.configPath), ctx.host);
  return found && !found.approximate ? found : undefined;
}

function moduleNames(f: Family): Set<string> {
  return new Set([...Object.values(f.roles), ...(f.extra ?? [])]);
}

/** The user's names carried over by role to this family's names (`q_proj` → `query_key_value` on ChatGLM). */
function byRole(wanted: string[], f: Family): string[] | undefined {
  const out: string[] = [];
  for (const name of wanted) {
    const own = moduleNames(f).has(name) ? name : f.roles[roleOf.get(name) ?? ''];
    if (!own) return undefined;
    if (!out.includes(own)) out.push(own);
  }
  return out;
}

export const loraTargetModules = defineRule({
  codes: ['lora-target-not-in-model'],
  appliesTo: { commands: ['train'] },
  check: (ctx) => {
    if (argValue(ctx.doc, 'finetuning_type') !== 'lora' || !ctx.doc.byKey.has('lora_target')) return [];
    const wanted = names(argValue(ctx.doc, 'lora_target'));
    // `all-linear` is PEFT's word for `all`, reported by the schema check as such.
    if (wanted.length === 0 || wanted.includes('all') || wanted.some((n) => foreignValue('lora_target', n))) return [];
    const found = model(ctx);
    const family = found && familyOf.get(found.arch.modelType);
    if (!found || !family) return [];
    const known = moduleNames(family);
    const missing = wanted.filter((n) => !known.has(n));
    if (missing.length === 0) return [];
    // PEFT stops only when no name matches; names that match nothing are otherwise skipped without a word.
    const none = missing.length === wanted.length;
    const fixes: Fix[] = [];
    const mapped = byRole(wanted, family);
    if (mapped) fixes.push({ title: t('Change to `{0}`', `lora_target: ${mapped.join(',')}`), ops: [{ set: 'lora_target', value: mapped.join(',') }], preferred: true, safe: false });
    fixes.push({ title: t('Change to `{0}`', 'lora_target: all'), ops: [{ set: 'lora_target', value: 'all' }], preferred: !mapped, safe: false });
    const list = missing.map((n) => `\`${n}\``).join(', ');
    const message = none
      ? t('{0} (model type `{1}`) has no module named {2}, so PEFT stops with "Target modules not found in the base model". Its modules: {3}.', found.id, found.arch.modelType, list, [...known].join(', '))
      : t('{0} (model type `{1}`) has no module named {2}; LoRA skips those names without a word. Its modules: {3}.', found.id, found.arch.modelType, list, [...known].join(', '));
    return { code: 'lora-target-not-in-model', severity: none ? ERROR : WARNING, at: 'lora_target', onValue: true, message, fixes };
  },
});

let templates: Map<string, string> | undefined;

/** Lower-cased hub id → the template LLaMA-Factory registers for it (built on first use). */
function templateByModel(): Map<string, string> {
  if (templates) return templates;
  templates = new Map();
  for (const [template, ids] of Object.entries(templateTable.templates as Record<string, string[]>)) {
    for (const id of ids) templates.set(id.toLowerCase(), template);
  }
  return templates;
}

/** `qwen3` and `qwen3_nothink` format the same conversations; only thinking differs. */
const base = (template: string) => template.replace(/_nothink$/, '');

export const templateForModel = defineRule({
  codes: ['template-model-mismatch'],
  check: (ctx) => {
    const name = stringArg(ctx.doc, 'model_name_or_path');
    const template = stringArg(ctx.doc, 'template');
    if (!name || !template) return undefined;
    const registered = templateByModel().get(name.trim().replace(/\/+$/, '').toLowerCase());
    if (!registered || base(registered) === base(template)) return undefined;
    return {
      code: 'template-model-mismatch',
      severity: WARNING,
      at: 'template',
      onValue: true,
      related: ['model_name_or_path'],
      message: t('LLaMA-Factory registers `{0}` with template `{1}`, not `{2}`: a different template formats the conversations in a way the model was not trained on.', name, registered, template),
      fixes: [{ title: t('Change to `{0}`', `template: ${registered}`), ops: [{ set: 'template', value: registered }], preferred: true, safe: false }],
    };
  },
});

export const fp16OnBf16Model = defineRule({
  codes: ['fp16-on-bf16-model'],
  check: (ctx) => {
    if (!isTraining(ctx.doc) || !truthy(ctx.doc, 'fp16') || !ctx.doc.byKey.has('fp16')) return undefined;
    const found = model(ctx);
    if (found?.dtype !== 'bfloat16') return undefined;
    const gpu = ctx.target?.gpu;
    const hasBf16 = !gpu || gpu.bf16 === 'native';
    const ops: KeyOp[] = ctx.doc.byKey.has('bf16') ? [{ remove: 'fp16' }, { set: 'bf16', value: true }] : [{ rename: 'fp16', to: 'bf16' }];
    const advice = hasBf16 ? t('Train in bf16.') : t('{0} has no bf16 hardware; train in fp32 (remove `fp16`) or on a GPU with bf16.', gpu?.name ?? '');
    return {
      code: 'fp16-on-bf16-model',
      severity: WARNING,
      at: 'fp16',
      related: ['model_name_or_path'],
      message: t('{0} was trained in bfloat16 (`torch_dtype: bfloat16` in its config.json). fp16 ends at ±65,504, so larger activations overflow to inf/NaN and the loss sticks at 0 or NaN.', found.id) + ` ${advice}`,
      fixes: hasBf16 ? [{ title: t('Change to `{0}`', 'bf16: true'), ops, preferred: true, safe: false }] : [],
    };
  },
});
