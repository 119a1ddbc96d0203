// Options LLaMA-Factory refuses when the DeepSpeed config turns on ZeRO-3
// (the stage is read from the referenced JSON).
import { readDeepSpeed, zero3 } from '../../context/config-files';
import { argValue, names, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import type { ReleaseRange, Rule } from '../rule';
import { preferred, removeFix, setFix, bothFix } from '../quick-fixes';

/** `key` (a switch) is refused under ZeRO-3. */
function notWithZero3(key: string, covers: string[], why: () => string, fix = () => removeFix(key), releases?: ReleaseRange): Rule {
  return defineRule({
    codes: [`zero3-${key.replace(/_/g, '-')}`],
    covers,
    appliesTo: { commands: ['train'], ...(releases ? { releases } : {}) },
    check: (ctx) => truthy(ctx.doc, key) && zero3(ctx) && {
      code: `zero3-${key.replace(/_/g, '-')}`,
      severity: ERROR,
      at: [key],
      related: ['deepspeed'],
      message: t('`{0}` does not work with DeepSpeed ZeRO-3 (the config under `deepspeed` sets stage 3): {1}', key, why()),
      fixes: [preferred(fix())],
    },
  });
}

export const zero3Rules: Rule[] = [
  // get_train_args refuses it from 0.9.0 (hparams/parser.py).
  notWithZero3('predict_with_generate', ['R129'], () => t('generation needs whole weights on each GPU. Predict with a ZeRO-2 or no DeepSpeed config.'), undefined, { since: '0.9.0' }),
  notWithZero3('pissa_init', ['R132'], () => t('run scripts/pissa_init.py first and train from its output.')),
  notWithZero3('pure_bf16', ['R134'], () => t('use `bf16: true` (mixed precision) instead.'),
    () => bothFix(t('Use `bf16: true` instead of `pure_bf16`'), removeFix('pure_bf16'), setFix('bf16', true))),
  notWithZero3('use_unsloth', ['R142'], () => t('Unsloth needs the whole model on each GPU.')),
  notWithZero3('use_kt', ['R143'], () => t('KTransformers places experts itself.')),
  defineRule({
    codes: ['zero3-several-adapters'],
    covers: ['R250'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => names(argValue(ctx.doc, 'adapter_name_or_path')).length > 1 && (zero3(ctx) || truthy(ctx.doc, 'use_kt') || truthy(ctx.doc, 'use_unsloth')) && {
      code: 'zero3-several-adapters',
      severity: ERROR,
      at: ['adapter_name_or_path'],
      onValue: true,
      related: ['deepspeed', 'use_kt', 'use_unsloth'],
      message: t('Only one adapter can be loaded under DeepSpeed ZeRO-3, KTransformers or Unsloth; merge the adapters first (llamafactory-cli export).'),
    },
  }),
  defineRule({
    codes: ['badam-layer-needs-zero3'],
    covers: ['R138'],
    appliesTo: { commands: ['train'] },
    check(ctx) {
      const stage = readDeepSpeed(ctx)?.stage;
      if (!(truthy(ctx.doc, 'use_badam') && argValue(ctx.doc, 'badam_mode') === 'layer' && stage !== undefined && stage !== 3)) return undefined;
      return {
        code: 'badam-layer-needs-zero3',
        severity: ERROR,
        at: ['use_badam'],
        related: ['deepspeed', 'badam_mode'],
        message: t('A DeepSpeed run is distributed, and layer-wise BAdam across GPUs needs ZeRO-3; this DeepSpeed config uses another stage. Use a ZeRO-3 config, or train on one GPU without DeepSpeed.'),
      };
    },
  }),
];
