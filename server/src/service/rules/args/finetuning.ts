// FinetuningArguments.__post_init__ checks (rules.md section 4), for every command.
// `finetuning_type` defaults to lora and `stage` to sft, so several conflicts
// fire on keys the user never wrote; those diagnostics sit on the key they did write.
import type { RuleContext } from '../types';
import { defineRule, DiagnosticSeverity, firstWritten, report, show } from './report';
import { argIs, argValue, has, isSet, numberArg, pyTruthy, stringArg, truthy } from '../../values';

function finetuningType(ctx: RuleContext): string {
  const v = argValue(ctx.doc, 'finetuning_type');
  return typeof v === 'string' ? v : String(v);
}

/** How the effective finetuning_type reads in a message. */
function describeType(ctx: RuleContext): string {
  return has(ctx.doc, 'finetuning_type') ? show('finetuning_type', finetuningType(ctx)) : '`finetuning_type: lora` (the default)';
}

export const loraAlphaZero = defineRule(['lora-alpha-replaced'], ['R41'], (ctx) => {
  const alpha = argValue(ctx.doc, 'lora_alpha');
  if (!has(ctx.doc, 'lora_alpha') || alpha === null || pyTruthy(alpha)) return [];
  const rank = numberArg(ctx.doc, 'lora_rank');
  if (rank === undefined) return [];
  return [report(ctx, 'lora_alpha', DiagnosticSeverity.Warning, 'lora-alpha-replaced',
    `A \`lora_alpha\` of ${JSON.stringify(alpha)} counts as unset: LLaMA-Factory uses 2 × lora_rank = ${2 * rank} instead.`,
    { onValue: true, fixes: [{ title: `Set lora_alpha: ${2 * rank}`, ops: [{ set: 'lora_alpha', value: 2 * rank }], preferred: true }] })];
});

export const ppoRewardModel = defineRule(['ppo-reward-model-missing', 'ppo-reward-model-type'], ['R46', 'R47', 'R48'], (ctx) => {
  if (!argIs(ctx.doc, 'stage', 'ppo')) return [];
  const out = [];
  if (!isSet(ctx.doc, 'reward_model')) {
    out.push(report(ctx, 'stage', DiagnosticSeverity.Error, 'ppo-reward-model-missing',
      'PPO scores its samples with a reward model: set `reward_model` (an adapter or model trained with `stage: rm`).', { onValue: true }));
  }
  const type = stringArg(ctx.doc, 'reward_model_type');
  if ((type === 'lora' || type === 'oft') && finetuningType(ctx) !== type) {
    const at = firstWritten(ctx, ['reward_model_type', 'finetuning_type', 'stage']) ?? 'stage';
    out.push(report(ctx, at, DiagnosticSeverity.Error, 'ppo-reward-model-type',
      `A ${type.toUpperCase()} reward model (\`reward_model_type: ${type}\`${has(ctx.doc, 'reward_model_type') ? '' : ', the default'}) can only be used when the policy is also trained with ${type.toUpperCase()}, but this config uses ${describeType(ctx)}.`,
      {
        related: [{ key: 'finetuning_type', message: 'the policy\'s tuning method' }, { key: 'reward_model_type', message: 'the reward model type' }],
      }));
  }
  return out;
});

export const dpoLabelSmoothing = defineRule(['dpo-label-smoothing-loss'], ['R49'], (ctx) => {
  const smoothing = numberArg(ctx.doc, 'dpo_label_smoothing');
  if (!argIs(ctx.doc, 'stage', 'dpo') || argIs(ctx.doc, 'pref_loss', 'sigmoid') || smoothing === undefined || smoothing <= 1e-6) return [];
  return [report(ctx, 'dpo_label_smoothing', DiagnosticSeverity.Error, 'dpo-label-smoothing-loss',
    `Label smoothing only works with the sigmoid DPO loss, not ${show('pref_loss', argValue(ctx.doc, 'pref_loss'))}.`,
    {
      related: [{ key: 'pref_loss', message: 'the preference loss' }],
      fixes: [{ title: 'Remove dpo_label_smoothing', ops: [{ remove: 'dpo_label_smoothing' }], preferred: true }],
    })];
});

export const llamaProFull = defineRule(['llama-pro-with-full'], ['R50'], (ctx) => {
  if (!truthy(ctx.doc, 'use_llama_pro') || finetuningType(ctx) !== 'full') return [];
  return [report(ctx, 'use_llama_pro', DiagnosticSeverity.Error, 'llama-pro-with-full',
    'LLaMA Pro trains only the added blocks, so it needs `finetuning_type: freeze` or `lora`, not full.',
    {
      related: [{ key: 'finetuning_type', message: 'full fine-tuning' }],
      fixes: [{ title: 'Set finetuning_type: freeze', ops: [{ set: 'finetuning_type', value: 'freeze' }], preferred: true }],
    })];
});

const MEMORY_OPTIMIZERS = ['use_galore', 'use_apollo', 'use_badam'] as const;
const OPTIMIZER_NAMES: Record<(typeof MEMORY_OPTIMIZERS)[number], string> = { use_galore: 'GaLore', use_apollo: 'APOLLO', use_badam: 'BAdam' };

export const memoryOptimizers = defineRule(['optimizer-with-lora', 'optimizer-multiple'], ['R51', 'R52'], (ctx) => {
  const on = MEMORY_OPTIMIZERS.filter((k) => truthy(ctx.doc, k));
  if (on.length === 0) return [];
  const out = [];
  if (finetuningType(ctx) === 'lora') {
    for (const key of on) {
      out.push(report(ctx, key, DiagnosticSeverity.Error, 'optimizer-with-lora',
        `${OPTIMIZER_NAMES[key]} replaces LoRA as the memory saver and cannot be combined with it; this config uses ${describeType(ctx)}.`,
        {
          related: [{ key: 'finetuning_type', message: 'LoRA tuning' }],
          fixes: [{ title: 'Set finetuning_type: full', ops: [{ set: 'finetuning_type', value: 'full' }], preferred: true }],
        }));
    }
  }
  for (const key of on.slice(1)) {
    out.push(report(ctx, key, DiagnosticSeverity.Error, 'optimizer-multiple',
      `Only one of GaLore, APOLLO and BAdam can be used at a time; \`${on[0]}\` is already on.`,
      {
        related: [{ key: on[0], message: 'also enabled' }],
        fixes: [{ title: `Set ${key}: false`, ops: [{ set: key, value: false }] }],
      }));
  }
  return out;
});

export const pissaStage = defineRule(['pissa-unsupported-stage'], ['R53'], (ctx) => {
  if (!truthy(ctx.doc, 'pissa_init')) return [];
  const stage = argValue(ctx.doc, 'stage');
  const lossWithoutRef = ['orpo', 'simpo'].includes(String(argValue(ctx.doc, 'pref_loss')));
  if (!(stage === 'ppo' || stage === 'kto' || (stage === 'dpo' && !lossWithoutRef))) return [];
  return [report(ctx, 'pissa_init', DiagnosticSeverity.Error, 'pissa-unsupported-stage',
    `PiSSA initialisation is not supported for ${show('stage', stage)}${stage === 'dpo' ? ' with a reference model (only the orpo and simpo losses go without one)' : ''}.`,
    {
      related: [{ key: 'stage', message: 'the training stage' }],
      fixes: [{ title: 'Remove pissa_init', ops: [{ remove: 'pissa_init' }], preferred: true }],
    })];
});

/** LoRA-only options, with the test LLaMA-Factory applies and the row. */
const LORA_ONLY: readonly { key: string; active: (v: unknown) => boolean; row: string }[] = [
  { key: 'loraplus_lr_ratio', active: (v) => v !== null && v !== undefined, row: 'R54' },
  { key: 'use_rslora', active: pyTruthy, row: 'R55' },
  { key: 'use_dora', active: pyTruthy, row: 'R56' },
  { key: 'pissa_init', active: pyTruthy, row: 'R57' },
];

export const loraOnlyOptions = defineRule(['lora-only-option'], LORA_ONLY.map((o) => o.row), (ctx) => {
  if (finetuningType(ctx) === 'lora') return [];
  return LORA_ONLY.filter((o) => has(ctx.doc, o.key) && o.active(argValue(ctx.doc, o.key))).map((o) =>
    report(ctx, o.key, DiagnosticSeverity.Error, 'lora-only-option',
      `\`${o.key}\` only applies to LoRA, but this config uses ${describeType(ctx)}.`,
      {
        related: [{ key: 'finetuning_type', message: 'the tuning method' }],
        fixes: [{ title: `Remove ${o.key}`, ops: [{ remove: o.key }], preferred: true }],
      }));
});

export const finetuningRules = [loraAlphaZero, ppoRewardModel, dpoLabelSmoothing, llamaProFull, memoryOptimizers, pissaStage, loraOnlyOptions];
