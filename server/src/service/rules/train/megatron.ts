// Megatron Bridge (USE_MEGATRON_BRIDGE=1, or `use_megatron_bridge` in the
// YAML): the backends, stages, tuning methods and options it cannot take.
import type { Rule, RuleContext } from '../types';
import { checkRule, ERROR, removeFix, truthyKeys } from './declare';
import { argValue, isSet, truthy } from '../../values';
import { t } from '../../l10n';

/** The config is meant for Megatron Bridge: the YAML asks for it or the environment selects it. */
const bridge = (ctx: RuleContext) => truthy(ctx.doc, 'use_megatron_bridge') || ctx.host.env('USE_MEGATRON_BRIDGE') === '1';

function bridgeRule(code: string, covers: string, at: string[] | ((ctx: RuleContext) => string[]), when: (ctx: RuleContext) => boolean, message: () => string, fixes = [] as ReturnType<typeof removeFix>[]): Rule {
  return checkRule({ code: `megatron-bridge-${code}`, covers: [covers], severity: ERROR, at, related: ['use_megatron_bridge'], when: (ctx) => bridge(ctx) && when(ctx), message, fixes });
}

export const megatronRules: Rule[] = [
  bridgeRule('exclusive', 'R112', truthyKeys('use_mca', 'use_hyper_parallel'), (ctx) => truthy(ctx.doc, 'use_mca') || truthy(ctx.doc, 'use_hyper_parallel'),
    () => t('Megatron Bridge, MCA and HyperParallel are separate training backends; pick one.')),
  bridgeRule('stage', 'R113', ['stage'], (ctx) => !['pt', 'sft'].includes(argValue(ctx.doc, 'stage') as string),
    () => t('Megatron Bridge trains stages pt and sft only.')),
  bridgeRule('finetuning-type', 'R114', ['finetuning_type'], (ctx) => !['full', 'lora'].includes(argValue(ctx.doc, 'finetuning_type') as string),
    () => t('Megatron Bridge supports full and LoRA fine-tuning only.')),
  bridgeRule('quantization', 'R115', ['quantization_bit'], (ctx) => isSet(ctx.doc, 'quantization_bit'),
    () => t('Megatron Bridge cannot train a quantised model; remove `quantization_bit`.'), [removeFix('quantization_bit')]),
  bridgeRule('deepspeed', 'R116', ['deepspeed'], (ctx) => isSet(ctx.doc, 'deepspeed'),
    () => t('Megatron Bridge does its own parallelism and cannot run under DeepSpeed; remove `deepspeed`.'), [removeFix('deepspeed')]),
];
