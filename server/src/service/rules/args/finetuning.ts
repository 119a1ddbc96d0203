// FinetuningArguments.__post_init__ checks (rules.md section 4), for every command.
// `finetuning_type` defaults to lora and `stage` to sft, so several conflicts
// fire on keys the user never wrote; those diagnostics sit on the key they did write.
import { argIs, argValue, has, isSet, numberArg, pyTruthy, stringArg, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import { show, firstWritten } from '../helpers';
import type { AnalysisContext } from '../../context';

function finetuningType(ctx: AnalysisContext): string {
  const v = argValue(ctx.doc, 'finetuning_type');
  return typeof v === 'string' ? v : String(v);
}

/** How the effective finetuning_type reads in a message. */
function describeType(ctx: AnalysisContext): string {
  return has(ctx.doc, 'finetuning_type') ? show('finetuning_type', finetuningType(ctx)) : t('`finetuning_type: lora` (the default)');
}

export const loraAlphaZero = defineRule({
  codes: ['lora-alpha-replaced'],
  covers: ['R41'],
  check: (ctx) => {
    const alpha = argValue(ctx.doc, 'lora_alpha');
    if (!has(ctx.doc, 'lora_alpha') || alpha === null || pyTruthy(alpha)) return [];
    const rank = numberArg(ctx.doc, 'lora_rank');
    if (rank === undefined) return [];
    return [{
      code: 'lora-alpha-replaced',
      severity: WARNING,
      at: 'lora_alpha',
      message: t('A `lora_alpha` of {0} counts as unset: LLaMA-Factory uses 2 × lora_rank = {1} instead.', JSON.stringify(alpha), 2 * rank),
      onValue: true,
      fixes: [{ title: t('Set lora_alpha: {0}', 2 * rank), ops: [{ set: 'lora_alpha', value: 2 * rank }], preferred: true, safe: true }],
    }];
  },
});

export const ppoRewardModel = defineRule({
  codes: ['ppo-reward-model-missing', 'ppo-reward-model-type'],
  covers: ['R46', 'R47', 'R48'],
  check: (ctx) => {
    if (!argIs(ctx.doc, 'stage', 'ppo')) return [];
    const out = [];
    if (!isSet(ctx.doc, 'reward_model')) {
      out.push({
        code: 'ppo-reward-model-missing',
        severity: ERROR,
        at: 'stage',
        message: t('PPO scores its samples with a reward model: set `reward_model` (an adapter or model trained with `stage: rm`).'),
        onValue: true,
      });
    }
    const type = stringArg(ctx.doc, 'reward_model_type');
    if ((type === 'lora' || type === 'oft') && finetuningType(ctx) !== type) {
      const at = firstWritten(ctx, ['reward_model_type', 'finetuning_type', 'stage']) ?? 'stage';
      out.push({
        code: 'ppo-reward-model-type',
        severity: ERROR,
        at: at,
        message: t('A {0} reward model (`reward_model_type: {1}`{2}) can only be used when the policy is also trained with {3}, but this config uses {4}.', type.toUpperCase(), type, has(ctx.doc, 'reward_model_type') ? '' : t(', the default'), type.toUpperCase(), describeType(ctx)),
        related: [{ key: 'finetuning_type', message: t('the policy\'s tuning method') }, { key: 'reward_model_type', message: t('the reward model type') }],
      });
    }
    return out;
  },
});

export const dpoLabelSmoothing = defineRule({
  codes: ['dpo-label-smoothing-loss'],
  covers: ['R49'],
  check: (ctx) => {
    const smoothing = numberArg(ctx.doc, 'dpo_label_smoothing');
    if (!argIs(ctx.doc, 'stage', 'dpo') || argIs(ctx.doc, 'pref_loss', 'sigmoid') || smoothing === undefined || smoothing <= 1e-6) return [];
    return [{
      code: 'dpo-label-smoothing-loss',
      severity: ERROR,
      at: 'dpo_label_smoothing',
      message: t('Label smoothing only works with the sigmoid DPO loss, not {0}.', show('pref_loss', argValue(ctx.doc, 'pref_loss'))),
      related: [{ key: 'pref_loss', message: t('the preference loss') }],
      fixes: [{ title: t('Remove {0}', 'dpo_label_smoothing'), ops: [{ remove: 'dpo_label_smoothing' }], preferred: true }],
    }];
  },
});

export const llamaProFull = defineRule({
  codes: ['llama-pro-with-full'],
  covers: ['R50'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'use_llama_pro') || finetuningType(ctx) !== 'full') return [];
    return [{
      code: 'llama-pro-with-full',
      severity: ERROR,
      at: 'use_llama_pro',
      message: t('LLaMA Pro trains only the added blocks, so it needs `finetuning_type: freeze` or `lora`, not full.'),
      related: [{ key: 'finetuning_type', message: t('full fine-tuning') }],
      fixes: [{ title: t('Set {0}: {1}', 'finetuning_type', 'freeze'), ops: [{ set: 'finetuning_type', value: 'freeze' }], preferred: true }],
    }];
  },
});

const MEMORY_OPTIMIZERS = ['use_galore', 'use_apollo', 'use_badam'] as const;
const OPTIMIZER_NAMES: Record<(typeof MEMORY_OPTIMIZERS)[number], string> = { use_galore: 'GaLore', use_apollo: 'APOLLO', use_badam: 'BAdam' };

export const memoryOptimizers = defineRule({
  codes: ['optimizer-with-lora', 'optimizer-multiple'],
  covers: ['R51', 'R52'],
  check: (ctx) => {
    const on = MEMORY_OPTIMIZERS.filter((k) => truthy(ctx.doc, k));
    if (on.length === 0) return [];
    const out = [];
    if (finetuningType(ctx) === 'lora') {
      for (const key of on) {
        out.push({
          code: 'optimizer-with-lora',
          severity: ERROR,
          at: key,
          message: t('{0} replaces LoRA as the memory saver and cannot be combined with it; this config uses {1}.', OPTIMIZER_NAMES[key], describeType(ctx)),
          related: [{ key: 'finetuning_type', message: t('LoRA tuning') }],
          fixes: [{ title: t('Set {0}: {1}', 'finetuning_type', 'full'), ops: [{ set: 'finetuning_type', value: 'full' }], preferred: true }],
        });
      }
    }
    for (const key of on.slice(1)) {
      out.push({
        code: 'optimizer-multiple',
        severity: ERROR,
        at: key,
        message: t('Only one of GaLore, APOLLO and BAdam can be used at a time; `{0}` is already on.', on[0]),
        related: [{ key: on[0], message: t('also enabled') }],
        fixes: [{ title: t('Set {0}: false', key), ops: [{ set: key, value: false }] }],
      });
    }
    return out;
  },
});

export const pissaStage = defineRule({
  codes: ['pissa-unsupported-stage'],
  covers: ['R53'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'pissa_init')) return [];
    const stage = argValue(ctx.doc, 'stage');
    const lossWithoutRef = ['orpo', 'simpo'].includes(String(argValue(ctx.doc, 'pref_loss')));
    if (!(stage === 'ppo' || stage === 'kto' || (stage === 'dpo' && !lossWithoutRef))) return [];
    return [{
      code: 'pissa-unsupported-stage',
      severity: ERROR,
      at: 'pissa_init',
      message: t('PiSSA initialisation is not supported for {0}{1}.', show('stage', stage), stage === 'dpo' ? ` ${t('with a reference model (only the orpo and simpo losses go without one)')}` : ''),
      related: [{ key: 'stage', message: t('the training stage') }],
      fixes: [{ title: t('Remove {0}', 'pissa_init'), ops: [{ remove: 'pissa_init' }], preferred: true }],
    }];
  },
});

/** LoRA-only options, with the test LLaMA-Factory applies and the row. */
const LORA_ONLY: readonly { key: string; active: (v: unknown) => boolean; row: string }[] = [
  { key: 'loraplus_lr_ratio', active: (v) => v !== null && v !== undefined, row: 'R54' },
  { key: 'use_rslora', active: pyTruthy, row: 'R55' },
  { key: 'use_dora', active: pyTruthy, row: 'R56' },
  { key: 'pissa_init', active: pyTruthy, row: 'R57' },
];

export const loraOnlyOptions = defineRule({
  codes: ['lora-only-option'],
  covers: LORA_ONLY.map((o) => o.row),
  check: (ctx) => {
    if (finetuningType(ctx) === 'lora') return [];
    return LORA_ONLY.filter((o) => has(ctx.doc, o.key) && o.active(argValue(ctx.doc, o.key))).map((o) =>
      ({
        code: 'lora-only-option',
        severity: ERROR,
        at: o.key,
        message: t('`{0}` only applies to LoRA, but this config uses {1}.', o.key, describeType(ctx)),
        related: [{ key: 'finetuning_type', message: t('the tuning method') }],
        fixes: [{ title: t('Remove {0}', o.key), ops: [{ remove: o.key }], preferred: true }],
      }));
  },
});

export const finetuningRules = [loraAlphaZero, ppoRewardModel, dpoLabelSmoothing, llamaProFull, memoryOptimizers, pissaStage, loraOnlyOptions];
