// Megatron Bridge (USE_MEGATRON_BRIDGE=1, or `use_megatron_bridge` in the
// YAML): the backends, stages, tuning methods and options it cannot take.
import { argValue, isSet, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix } from '../quick-fixes';
import { truthyKeys } from '../helpers';
import type { AnalysisContext } from '../../context';
import type { Fix } from '../../fixes';

/** The config is meant for Megatron Bridge: the YAML asks for it or the environment selects it. */
const bridge = (ctx: AnalysisContext) => truthy(ctx.doc, 'use_megatron_bridge') || ctx.host.env('USE_MEGATRON_BRIDGE') === '1';

/** One thing Megatron Bridge cannot take, reported at the first written of `at(ctx)`. */
function bridgeRule(code: string, covers: string, at: string[] | ((ctx: AnalysisContext) => string[]), when: (ctx: AnalysisContext) => boolean, message: () => string, fix?: () => Fix): Rule {
  return defineRule({
    codes: [`megatron-bridge-${code}`],
    covers: [covers],
    // hparams/megatron_bridge_args.py and its checks in parser.py exist only in main.
    appliesTo: { commands: ['train'], releases: { since: 'main' } },
    check: (ctx) => bridge(ctx) && when(ctx) && {
      code: `megatron-bridge-${code}`,
      severity: ERROR,
      at: typeof at === 'function' ? at(ctx) : at,
      related: ['use_megatron_bridge'],
      message: message(),
      fixes: fix ? [preferred(fix())] : [],
    },
  });
}

export const megatronRules: Rule[] = [
  bridgeRule('exclusive', 'R112', (ctx) => truthyKeys(ctx, 'use_mca', 'use_hyper_parallel'), (ctx) => truthy(ctx.doc, 'use_mca') || truthy(ctx.doc, 'use_hyper_parallel'),
    () => t('Megatron Bridge, MCA and HyperParallel are separate training backends; pick one.')),
  bridgeRule('stage', 'R113', ['stage'], (ctx) => !['pt', 'sft'].includes(argValue(ctx.doc, 'stage') as string),
    () => t('Megatron Bridge trains stages pt and sft only.')),
  bridgeRule('finetuning-type', 'R114', ['finetuning_type'], (ctx) => !['full', 'lora'].includes(argValue(ctx.doc, 'finetuning_type') as string),
    () => t('Megatron Bridge supports full and LoRA fine-tuning only.')),
  bridgeRule('quantization', 'R115', ['quantization_bit'], (ctx) => isSet(ctx.doc, 'quantization_bit'),
    () => t('Megatron Bridge cannot train a quantised model; remove `quantization_bit`.'), () => removeFix('quantization_bit')),
  bridgeRule('deepspeed', 'R116', ['deepspeed'], (ctx) => isSet(ctx.doc, 'deepspeed'),
    () => t('Megatron Bridge does its own parallelism and cannot run under DeepSpeed; remove `deepspeed`.'), () => removeFix('deepspeed')),
];
