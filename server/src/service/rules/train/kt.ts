// KTransformers (use_kt / kt_config): what KT takes over from LLaMA-Factory
// and transformers, and the shape of kt_config.
import { argValue, isSet, names, pyTruthy, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, INFO } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, setFix } from '../quick-fixes';
import { inReleases, truthyKeys } from '../helpers';
import type { AnalysisContext } from '../../context';

const kt = (ctx: AnalysisContext) => truthy(ctx.doc, 'use_kt');

/**
 * Checks only main makes (hparams/model_args.py `configure_kt_checkpointing`, `apply_kt_config` and their helpers;
 * model_utils/checkpointing.py): 0.9.4 and 0.9.5 have use_kt but none of them (their KT checks are in
 * parser.py and model/adapter.py).
 */
const MAIN_ONLY = { since: 'main' };

/**
 * The tuning types KTransformers takes: main checks for LoRA or full (hparams/model_args.py); 0.9.4 and 0.9.5
 * refuse another adapter type in model/adapter.py (`_setup_lora_tuning`) and have no check for freeze or full.
 */
const ktTuning = (ctx: AnalysisContext): readonly string[] => (inReleases(ctx.release, MAIN_ONLY) ? ['lora', 'full'] : ['lora', 'freeze', 'full']);

/** Keys of kt_config that LLaMA-Factory derives itself and refuses from the user. */
const DERIVED = [
  'enabled', 'kt_activation_policy', 'kt_expert_checkpoint_path', 'kt_full_weight_grad', 'kt_lora_alpha', 'kt_lora_dropout',
  'kt_lora_expert_intermediate_size', 'kt_lora_expert_num', 'kt_lora_rank', 'kt_non_expert_weight_path', 'kt_skip_expert_loading',
  'kt_train_mode', 'kt_use_lora_experts', 'kt_weight_path',
];
const TOLERATED_WHEN_TRUE = new Set(['enabled', 'kt_skip_expert_loading']);

function ktConfig(ctx: AnalysisContext): unknown {
  return ctx.doc.byKey.get('kt_config')?.value;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function derivedKeys(ctx: AnalysisContext): string[] {
  const c = ktConfig(ctx);
  if (!isMapping(c)) return [];
  return DERIVED.filter((k) => k in c && !(TOLERATED_WHEN_TRUE.has(k) && c[k] === true));
}

/** fsdp_config as a mapping: written inline or as a JSON string. */
function fsdpConfig(ctx: AnalysisContext): Record<string, unknown> | undefined {
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
  defineRule({
    codes: ['kt-unsloth'],
    covers: ['R181'],
    appliesTo: { commands: ['train'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && (truthy(ctx.doc, 'use_unsloth') || truthy(ctx.doc, 'use_unsloth_gc')) && {
      code: 'kt-unsloth',
      severity: ERROR,
      at: truthyKeys(ctx, 'use_unsloth', 'use_unsloth_gc'),
      related: ['use_kt'],
      message: t('KTransformers cannot be combined with Unsloth or its gradient checkpointing; remove the Unsloth switch.'),
    },
  }),
  defineRule({
    codes: ['kt-gradient-checkpointing'],
    covers: ['R182'],
    appliesTo: { commands: ['train'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && (argValue(ctx.doc, 'gradient_checkpointing') === true || isSet(ctx.doc, 'gradient_checkpointing_kwargs')) && {
      code: 'kt-gradient-checkpointing',
      severity: ERROR,
      at: ['gradient_checkpointing', 'gradient_checkpointing_kwargs'].filter((k) => k === 'gradient_checkpointing' ? argValue(ctx.doc, k) === true : isSet(ctx.doc, k)),
      related: ['use_kt'],
      message: t('KTransformers manages gradient checkpointing itself; remove this key (use `disable_gradient_checkpointing` to turn checkpointing off).'),
    },
  }),
  defineRule({
    codes: ['kt-fsdp-activation-checkpointing'],
    covers: ['R183'],
    appliesTo: { commands: ['train'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && pyTruthy(fsdpConfig(ctx)?.activation_checkpointing) && {
      code: 'kt-fsdp-activation-checkpointing',
      severity: ERROR,
      at: ['fsdp_config'],
      related: ['use_kt'],
      message: t('KTransformers cannot run with FSDP activation checkpointing; set `activation_checkpointing: false` in fsdp_config.'),
    },
  }),
  defineRule({
    codes: ['kt-recompute-needs-checkpointing'],
    covers: ['R184'],
    appliesTo: { commands: ['train'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && argValue(ctx.doc, 'kt_cpu_activation') === 'recompute' && truthy(ctx.doc, 'disable_gradient_checkpointing') && {
      code: 'kt-recompute-needs-checkpointing',
      severity: ERROR,
      at: ['kt_cpu_activation'],
      onValue: true,
      related: ['disable_gradient_checkpointing', 'use_kt'],
      message: t('`kt_cpu_activation: recompute` recomputes activations through gradient checkpointing, which `disable_gradient_checkpointing` turns off.'),
      fixes: [preferred(setFix('kt_cpu_activation', 'retain')), removeFix('disable_gradient_checkpointing')],
    },
  }),
  defineRule({
    codes: ['kt-reentrant-overridden'],
    covers: ['R185'],
    appliesTo: { commands: ['train'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && ctx.doc.byKey.get('use_reentrant_gc')?.value === true && !truthy(ctx.doc, 'disable_gradient_checkpointing') && {
      code: 'kt-reentrant-overridden',
      severity: INFO,
      at: ['use_reentrant_gc'],
      related: ['use_kt'],
      message: t('With KTransformers, LLaMA-Factory switches to non-reentrant gradient checkpointing whatever `use_reentrant_gc` says.'),
      fixes: [preferred(removeFix('use_reentrant_gc'))],
    },
  }),
  defineRule({
    codes: ['kt-finetuning-type'],
    covers: ['R186', 'R253'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => kt(ctx) && !ktTuning(ctx).includes(argValue(ctx.doc, 'finetuning_type') as string) && {
      code: 'kt-finetuning-type',
      severity: ERROR,
      at: ['finetuning_type'],
      onValue: true,
      related: ['use_kt'],
      message: inReleases(ctx.release, MAIN_ONLY)
        ? t('KTransformers supports LoRA and full fine-tuning only.')
        : t('KTransformers in LLaMA-Factory {0} trains LoRA adapters only; other adapters stop the run when the model is loaded.', ctx.release?.facts.name ?? ''),
      fixes: [preferred(setFix('finetuning_type', 'lora'))],
    },
  }),
  defineRule({
    codes: ['kt-config-not-mapping'],
    covers: ['R188'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && isSet(ctx.doc, 'kt_config') && !isMapping(ktConfig(ctx)) && {
      code: 'kt-config-not-mapping',
      severity: ERROR,
      at: ['kt_config'],
      onValue: true,
      message: t('`kt_config` must be a mapping of KTransformers settings (indented `key: value` lines).'),
    },
  }),
  defineRule({
    codes: ['kt-config-derived-key'],
    covers: ['R188'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && derivedKeys(ctx).length > 0 && {
      code: 'kt-config-derived-key',
      severity: ERROR,
      at: ['kt_config'],
      message: t('LLaMA-Factory fills {0} of kt_config itself from the other options; remove {1} from kt_config.', derivedKeys(ctx).map((k) => `\`${k}\``).join(', '), derivedKeys(ctx).length > 1 ? 'them' : 'it'),
    },
  }),
  defineRule({
    codes: ['kt-model-max-length'],
    covers: ['R187'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'], releases: MAIN_ONLY },
    check(ctx) {
      const c = ktConfig(ctx);
      if (!kt(ctx) || !isMapping(c) || !('kt_model_max_length' in c) || c.kt_model_max_length === null) return false;
      const v = c.kt_model_max_length;
      if (!(!(typeof v === 'number' && Number.isInteger(v) && v > 0))) return undefined;
      return {
        code: 'kt-model-max-length',
        severity: ERROR,
        at: ['kt_config'],
        message: t('`kt_config.kt_model_max_length` must be a positive whole number.'),
      };
    },
  }),
  defineRule({
    codes: ['kt-several-adapters'],
    covers: ['R190', 'R250'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && names(argValue(ctx.doc, 'adapter_name_or_path')).length > 1 && {
      code: 'kt-several-adapters',
      severity: ERROR,
      at: ['adapter_name_or_path'],
      onValue: true,
      related: ['use_kt'],
      message: t('KTransformers loads a single adapter; merge the others into the base model first.'),
    },
  }),
  defineRule({
    codes: ['kt-adapter-folder-escapes'],
    covers: ['R190'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'], releases: MAIN_ONLY },
    check(ctx) {
      const f = argValue(ctx.doc, 'adapter_folder');
      if (!(kt(ctx) && typeof f === 'string' && (f.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f) || f.split(/[\\/]/).includes('..')))) return undefined;
      return {
        code: 'kt-adapter-folder-escapes',
        severity: ERROR,
        at: ['adapter_folder'],
        onValue: true,
        related: ['use_kt'],
        message: t('With KTransformers, `adapter_folder` must be a sub-folder inside the adapter location (no absolute path, no `..`).'),
      };
    },
  }),
  defineRule({
    codes: ['unsloth-oft'],
    covers: ['R253'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => argValue(ctx.doc, 'finetuning_type') === 'oft' && truthy(ctx.doc, 'use_unsloth') && !kt(ctx) && {
      code: 'unsloth-oft',
      severity: ERROR,
      at: ['finetuning_type'],
      onValue: true,
      related: ['use_unsloth'],
      message: t('Unsloth cannot train OFT adapters; use LoRA or turn Unsloth off.'),
      fixes: [preferred(setFix('finetuning_type', 'lora')), removeFix('use_unsloth')],
    },
  }),
  defineRule({
    codes: ['kt-sft-generation'],
    covers: ['R266'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => kt(ctx) && argValue(ctx.doc, 'stage') === 'sft' && (truthy(ctx.doc, 'predict_with_generate') || truthy(ctx.doc, 'compute_accuracy')) && {
      code: 'kt-sft-generation',
      severity: ERROR,
      at: truthyKeys(ctx, 'predict_with_generate', 'compute_accuracy'),
      related: ['use_kt'],
      message: t('SFT on KTransformers cannot generate predictions or compute accuracy yet; remove this key.'),
    },
  }),
  defineRule({
    codes: ['kt-config-without-kt'],
    covers: ['R198'],
    appliesTo: { commands: ['chat', 'export', 'eval'], releases: MAIN_ONLY },
    check: (ctx) => isSet(ctx.doc, 'kt_config') && !kt(ctx) && {
      code: 'kt-config-without-kt',
      severity: ERROR,
      at: ['kt_config'],
      related: ['use_kt'],
      message: t('`kt_config` only applies with `use_kt: true`; add it or remove kt_config.'),
      fixes: [preferred(setFix('use_kt', true, 'kt_config')), removeFix('kt_config')],
    },
  }),
  defineRule({
    codes: ['kt-infer-backend'],
    covers: ['R198'],
    appliesTo: { commands: ['chat', 'export', 'eval'], releases: MAIN_ONLY },
    check: (ctx) => kt(ctx) && argValue(ctx.doc, 'infer_backend') !== 'huggingface' && {
      code: 'kt-infer-backend',
      severity: ERROR,
      at: ['infer_backend'],
      onValue: true,
      related: ['use_kt'],
      message: t('KTransformers inference runs on the huggingface backend only.'),
      fixes: [preferred(setFix('infer_backend', 'huggingface'))],
    },
  }),
];
