// KTransformers (use_kt / kt_config): what KT takes over from LLaMA-Factory
// and transformers, and the shape of kt_config.
import type { Rule, RuleContext } from '../types';
import { checkRule, ERROR, INFO, removeFix, setFix, truthyKeys } from './declare';
import { argValue, isSet, names, pyTruthy, truthy } from '../../values';
import { t } from '../../l10n';

const kt = (ctx: RuleContext) => truthy(ctx.doc, 'use_kt');

/** Keys of kt_config that LLaMA-Factory derives itself and refuses from the user. */
const DERIVED = [
  'enabled', 'kt_activation_policy', 'kt_expert_checkpoint_path', 'kt_full_weight_grad', 'kt_lora_alpha', 'kt_lora_dropout',
  'kt_lora_expert_intermediate_size', 'kt_lora_expert_num', 'kt_lora_rank', 'kt_non_expert_weight_path', 'kt_skip_expert_loading',
  'kt_train_mode', 'kt_use_lora_experts', 'kt_weight_path',
];
const TOLERATED_WHEN_TRUE = new Set(['enabled', 'kt_skip_expert_loading']);

function ktConfig(ctx: RuleContext): unknown {
  return ctx.doc.byKey.get('kt_config')?.value;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function derivedKeys(ctx: RuleContext): string[] {
  const c = ktConfig(ctx);
  if (!isMapping(c)) return [];
  return DERIVED.filter((k) => k in c && !(TOLERATED_WHEN_TRUE.has(k) && c[k] === true));
}

/** fsdp_config as a mapping: written inline or as a JSON string. */
function fsdpConfig(ctx: RuleContext): Record<string, unknown> | undefined {
  const v = argValue(ctx.doc, 'fsdp_config');
  if (isMapping(v)) return v;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(v);
      return isMapping(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const ktRules: Rule[] = [
  checkRule({
    code: 'kt-unsloth',
    covers: ['R181'],
    severity: ERROR,
    at: truthyKeys('use_unsloth', 'use_unsloth_gc'),
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && (truthy(ctx.doc, 'use_unsloth') || truthy(ctx.doc, 'use_unsloth_gc')),
    message: () => t('KTransformers cannot be combined with Unsloth or its gradient checkpointing; remove the Unsloth switch.'),
  }),
  checkRule({
    code: 'kt-gradient-checkpointing',
    covers: ['R182'],
    severity: ERROR,
    at: (ctx) => ['gradient_checkpointing', 'gradient_checkpointing_kwargs'].filter((k) => k === 'gradient_checkpointing' ? argValue(ctx.doc, k) === true : isSet(ctx.doc, k)),
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && (argValue(ctx.doc, 'gradient_checkpointing') === true || isSet(ctx.doc, 'gradient_checkpointing_kwargs')),
    message: () => t('KTransformers manages gradient checkpointing itself; remove this key (use `disable_gradient_checkpointing` to turn checkpointing off).'),
  }),
  checkRule({
    code: 'kt-fsdp-activation-checkpointing',
    covers: ['R183'],
    severity: ERROR,
    at: ['fsdp_config'],
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && pyTruthy(fsdpConfig(ctx)?.activation_checkpointing),
    message: () => t('KTransformers cannot run with FSDP activation checkpointing; set `activation_checkpointing: false` in fsdp_config.'),
  }),
  checkRule({
    code: 'kt-recompute-needs-checkpointing',
    covers: ['R184'],
    severity: ERROR,
    at: ['kt_cpu_activation'],
    onValue: true,
    related: ['disable_gradient_checkpointing', 'use_kt'],
    when: (ctx) => kt(ctx) && argValue(ctx.doc, 'kt_cpu_activation') === 'recompute' && truthy(ctx.doc, 'disable_gradient_checkpointing'),
    message: () => t('`kt_cpu_activation: recompute` recomputes activations through gradient checkpointing, which `disable_gradient_checkpointing` turns off.'),
    fixes: [setFix('kt_cpu_activation', 'retain'), removeFix('disable_gradient_checkpointing')],
  }),
  checkRule({
    code: 'kt-reentrant-overridden',
    covers: ['R185'],
    severity: INFO,
    at: ['use_reentrant_gc'],
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && ctx.doc.byKey.get('use_reentrant_gc')?.value === true && !truthy(ctx.doc, 'disable_gradient_checkpointing'),
    message: () => t('With KTransformers, LLaMA-Factory switches to non-reentrant gradient checkpointing whatever `use_reentrant_gc` says.'),
    fixes: [removeFix('use_reentrant_gc')],
  }),
  checkRule({
    code: 'kt-finetuning-type',
    covers: ['R186', 'R253'],
    severity: ERROR,
    at: ['finetuning_type'],
    onValue: true,
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && !['lora', 'full'].includes(argValue(ctx.doc, 'finetuning_type') as string),
    message: () => t('KTransformers supports LoRA and full fine-tuning only.'),
    fixes: [setFix('finetuning_type', 'lora')],
  }),
  checkRule({
    code: 'kt-config-not-mapping',
    covers: ['R188'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['kt_config'],
    onValue: true,
    when: (ctx) => kt(ctx) && isSet(ctx.doc, 'kt_config') && !isMapping(ktConfig(ctx)),
    message: () => t('`kt_config` must be a mapping of KTransformers settings (indented `key: value` lines).'),
  }),
  checkRule({
    code: 'kt-config-derived-key',
    covers: ['R188'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['kt_config'],
    when: (ctx) => kt(ctx) && derivedKeys(ctx).length > 0,
    message: (ctx) => t('LLaMA-Factory fills {0} of kt_config itself from the other options; remove {1} from kt_config.', derivedKeys(ctx).map((k) => `\`${k}\``).join(', '), derivedKeys(ctx).length > 1 ? 'them' : 'it'),
  }),
  checkRule({
    code: 'kt-model-max-length',
    covers: ['R187'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['kt_config'],
    when: (ctx) => {
      const c = ktConfig(ctx);
      if (!kt(ctx) || !isMapping(c) || !('kt_model_max_length' in c) || c.kt_model_max_length === null) return false;
      const v = c.kt_model_max_length;
      return !(typeof v === 'number' && Number.isInteger(v) && v > 0);
    },
    message: () => t('`kt_config.kt_model_max_length` must be a positive whole number.'),
  }),
  checkRule({
    code: 'kt-several-adapters',
    covers: ['R190', 'R250'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['adapter_name_or_path'],
    onValue: true,
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && names(argValue(ctx.doc, 'adapter_name_or_path')).length > 1,
    message: () => t('KTransformers loads a single adapter; merge the others into the base model first.'),
  }),
  checkRule({
    code: 'kt-adapter-folder-escapes',
    covers: ['R190'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['adapter_folder'],
    onValue: true,
    related: ['use_kt'],
    when: (ctx) => {
      const f = argValue(ctx.doc, 'adapter_folder');
      return kt(ctx) && typeof f === 'string' && (f.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f) || f.split(/[\\/]/).includes('..'));
    },
    message: () => t('With KTransformers, `adapter_folder` must be a sub-folder inside the adapter location (no absolute path, no `..`).'),
  }),
  checkRule({
    code: 'unsloth-oft',
    covers: ['R253'],
    severity: ERROR,
    at: ['finetuning_type'],
    onValue: true,
    related: ['use_unsloth'],
    // With use_kt, kt-finetuning-type already reports OFT.
    when: (ctx) => argValue(ctx.doc, 'finetuning_type') === 'oft' && truthy(ctx.doc, 'use_unsloth') && !kt(ctx),
    message: () => t('Unsloth cannot train OFT adapters; use LoRA or turn Unsloth off.'),
    fixes: [setFix('finetuning_type', 'lora'), removeFix('use_unsloth')],
  }),
  checkRule({
    code: 'kt-sft-generation',
    covers: ['R266'],
    severity: ERROR,
    at: truthyKeys('predict_with_generate', 'compute_accuracy'),
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && argValue(ctx.doc, 'stage') === 'sft' && (truthy(ctx.doc, 'predict_with_generate') || truthy(ctx.doc, 'compute_accuracy')),
    message: () => t('SFT on KTransformers cannot generate predictions or compute accuracy yet; remove this key.'),
  }),
  checkRule({
    code: 'kt-config-without-kt',
    covers: ['R198'],
    severity: ERROR,
    commands: ['chat', 'export', 'eval'],
    at: ['kt_config'],
    related: ['use_kt'],
    when: (ctx) => isSet(ctx.doc, 'kt_config') && !kt(ctx),
    message: () => t('`kt_config` only applies with `use_kt: true`; add it or remove kt_config.'),
    fixes: [setFix('use_kt', true, 'kt_config'), removeFix('kt_config')],
  }),
  checkRule({
    code: 'kt-infer-backend',
    covers: ['R198'],
    severity: ERROR,
    commands: ['chat', 'export', 'eval'],
    at: ['infer_backend'],
    onValue: true,
    related: ['use_kt'],
    when: (ctx) => kt(ctx) && argValue(ctx.doc, 'infer_backend') !== 'huggingface',
    message: () => t('KTransformers inference runs on the huggingface backend only.'),
    fixes: [setFix('infer_backend', 'huggingface')],
  }),
];
