// Quantisation checks: what on-the-fly quantisation (quantization_bit)
// combines with, the bit widths each method accepts, and export quantisation.
import type { Rule, RuleContext } from '../types';
import { checkRule, ERROR, laterFirst, removeFix, setFix, WARNING } from './declare';
import { zero3 } from './deepspeed';
import { argValue, isSet, names, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';

const ALL = ['train', 'chat', 'export', 'eval'] as const;
const quantized = (ctx: RuleContext) => isSet(ctx.doc, 'quantization_bit');
const method = (ctx: RuleContext) => argValue(ctx.doc, 'quantization_method');
const bits = (ctx: RuleContext) => argValue(ctx.doc, 'quantization_bit');
const adapters = (ctx: RuleContext) => names(argValue(ctx.doc, 'adapter_name_or_path'));
const BITS_BY_METHOD: Record<string, readonly number[]> = lists.enums.quantization_bit_by_method;
const ON_THE_FLY: readonly string[] = lists.enums.quantization_method_applied_on_the_fly;
const METHODS: readonly string[] = lists.enums.quantization_method;
const EXPORT_BITS: readonly number[] = lists.enums.export_quantization_bit;
/** FSDP as far as the YAML shows it (an Accelerate config can also turn it on). */
const fsdp = (ctx: RuleContext) => truthy(ctx.doc, 'fsdp');

/** Bit widths a method accepts, checked when that method quantises on the fly. */
function bitsRule(m: string, covers: string): Rule {
  const allowed = BITS_BY_METHOD[m];
  return checkRule({
    code: `quant-${m}-bits`,
    covers: [covers],
    severity: ERROR,
    commands: ALL,
    at: ['quantization_bit'],
    onValue: true,
    related: ['quantization_method'],
    when: (ctx) => method(ctx) === m && quantized(ctx) && !allowed.includes(bits(ctx) as number),
    message: () => t('{0} quantisation accepts `quantization_bit` {1} only.', m, allowed.join(', ')),
  });
}

/** Methods that cannot run with their weights sharded by ZeRO-3 or FSDP. */
function shardedRule(m: string, covers: string, extra: (ctx: RuleContext) => boolean = () => true): Rule {
  return checkRule({
    code: `quant-${m}-sharded`,
    covers: [covers],
    severity: ERROR,
    at: ['quantization_bit'],
    related: ['deepspeed', 'fsdp', 'quantization_method', 'quantization_device_map'],
    when: (ctx) => method(ctx) === m && quantized(ctx) && extra(ctx) && (zero3(ctx) || fsdp(ctx) || (m === 'bnb' && argValue(ctx.doc, 'quantization_device_map') === 'auto')),
    message: () => m === 'bnb'
      ? t('{0} quantisation in 8 bit cannot be combined with DeepSpeed ZeRO-3, FSDP or `quantization_device_map: auto`. Use `quantization_bit: 4` there.', m)
      : t('{0} quantisation cannot be combined with DeepSpeed ZeRO-3 or FSDP.', m),
    fixes: m === 'bnb' ? [setFix('quantization_bit', 4)] : [],
  });
}

export const quantizationRules: Rule[] = [
  checkRule({
    code: 'quant-needs-lora',
    covers: ['R146', 'R254'],
    severity: ERROR,
    commands: ALL,
    at: ['quantization_bit'],
    related: ['finetuning_type'],
    when: (ctx) => quantized(ctx) && !['lora', 'oft'].includes(argValue(ctx.doc, 'finetuning_type') as string),
    message: (ctx) => t('A quantised model can only be tuned with LoRA or OFT adapters, not `finetuning_type: {0}`. Remove `quantization_bit` or switch to lora.', String(argValue(ctx.doc, 'finetuning_type'))),
    fixes: [removeFix('quantization_bit'), setFix('finetuning_type', 'lora')],
  }),
  checkRule({
    code: 'quant-pissa-init',
    covers: ['R147', 'R254'],
    severity: ERROR,
    commands: ALL,
    at: ['pissa_init'],
    related: ['quantization_bit'],
    when: (ctx) => quantized(ctx) && truthy(ctx.doc, 'pissa_init'),
    message: () => t('PiSSA cannot be initialised on a model quantised on the fly; run scripts/pissa_init.py first and train from its output.'),
    fixes: [removeFix('pissa_init')],
  }),
  checkRule({
    code: 'quant-resize-vocab',
    covers: ['R148'],
    severity: ERROR,
    commands: ALL,
    at: ['resize_vocab'],
    related: ['quantization_bit'],
    when: (ctx) => quantized(ctx) && truthy(ctx.doc, 'resize_vocab'),
    message: () => t('The embeddings of a quantised model cannot be resized; remove `resize_vocab` or `quantization_bit`.'),
    fixes: [removeFix('resize_vocab')],
  }),
  checkRule({
    code: 'quant-new-adapter',
    covers: ['R149'],
    severity: ERROR,
    commands: ALL,
    at: ['create_new_adapter'],
    related: ['quantization_bit', 'adapter_name_or_path'],
    when: (ctx) => quantized(ctx) && adapters(ctx).length > 0 && truthy(ctx.doc, 'create_new_adapter'),
    message: () => t('A new adapter cannot be stacked on existing adapters of a quantised model; remove `create_new_adapter`.'),
    fixes: [removeFix('create_new_adapter')],
  }),
  checkRule({
    code: 'quant-several-adapters',
    covers: ['R150', 'R250'],
    severity: ERROR,
    commands: ALL,
    at: ['adapter_name_or_path'],
    onValue: true,
    related: ['quantization_bit'],
    when: (ctx) => quantized(ctx) && adapters(ctx).length > 1,
    message: () => t('A quantised model takes a single adapter; merge the adapters into the base model first (llamafactory-cli export).'),
  }),
  checkRule({
    code: 'quant-fp8-exclusive',
    covers: ['R140'],
    severity: ERROR,
    at: laterFirst('fp8', 'quantization_bit'),
    when: (ctx) => truthy(ctx.doc, 'fp8') && quantized(ctx) && !truthy(ctx.doc, 'use_mca') && !truthy(ctx.doc, 'use_megatron_bridge'),
    message: () => t('FP8 training and `quantization_bit` cannot be used together; choose one.'),
    fixes: [removeFix('fp8'), removeFix('quantization_bit')],
  }),
  checkRule({
    code: 'quant-device-map-auto-training',
    covers: ['R131'],
    severity: ERROR,
    at: ['quantization_device_map'],
    related: ['do_train'],
    when: (ctx) => truthy(ctx.doc, 'do_train') && argValue(ctx.doc, 'quantization_device_map') === 'auto',
    message: () => t('`quantization_device_map: auto` spreads the model over devices, which LLaMA-Factory only allows for inference; remove it for training.'),
    fixes: [removeFix('quantization_device_map')],
  }),
  checkRule({
    code: 'quant-upcast-layernorm',
    covers: ['R162'],
    severity: WARNING,
    at: ['quantization_bit'],
    when: (ctx) => truthy(ctx.doc, 'do_train') && quantized(ctx) && !truthy(ctx.doc, 'upcast_layernorm'),
    message: () => t('LLaMA-Factory recommends `upcast_layernorm: true` when training a quantised model, for stability.'),
    fixes: [setFix('upcast_layernorm', true, 'quantization_bit')],
  }),
  checkRule({
    code: 'quant-eval-score',
    covers: ['R165'],
    severity: WARNING,
    at: ['quantization_bit'],
    when: (ctx) => !truthy(ctx.doc, 'do_train') && quantized(ctx),
    message: () => t('Evaluating or predicting with a 4/8-bit model can score lower than the full-precision model.'),
  }),
  checkRule({
    code: 'quant-method-ignored',
    covers: ['R238'],
    severity: WARNING,
    commands: ALL,
    at: ['quantization_bit'],
    related: ['quantization_method'],
    when: (ctx) => quantized(ctx) && METHODS.includes(method(ctx) as string) && !ON_THE_FLY.includes(method(ctx) as string),
    message: (ctx) => t('`quantization_method: {0}` does not quantise on the fly: `quantization_bit` is ignored, and a checkpoint that is not already {1}-quantised trains in 16 bit. Use bnb, hqq or eetq, or a pre-quantised checkpoint without `quantization_bit`.', String(method(ctx)), String(method(ctx))),
    fixes: [removeFix('quantization_bit')],
  }),
  bitsRule('bnb', 'R234'),
  bitsRule('hqq', 'R236'),
  bitsRule('eetq', 'R237'),
  shardedRule('bnb', 'R235', (ctx) => bits(ctx) === 8),
  shardedRule('hqq', 'R236'),
  shardedRule('eetq', 'R237'),
  checkRule({
    code: 'export-quantization-bits',
    covers: ['R233'],
    severity: ERROR,
    commands: ['export'],
    at: ['export_quantization_bit'],
    onValue: true,
    when: (ctx) => isSet(ctx.doc, 'export_quantization_bit') && !EXPORT_BITS.includes(argValue(ctx.doc, 'export_quantization_bit') as number),
    message: () => t('GPTQ export quantisation accepts `export_quantization_bit` {0} only.', EXPORT_BITS.join(', ')),
  }),
  checkRule({
    code: 'export-quantize-with-adapters',
    covers: ['R214'],
    severity: ERROR,
    commands: ['export'],
    at: ['export_quantization_bit'],
    related: ['adapter_name_or_path'],
    when: (ctx) => isSet(ctx.doc, 'export_quantization_bit') && adapters(ctx).length > 0,
    message: () => t('Adapters must be merged before the model is quantised: export once without `export_quantization_bit`, then quantise the merged model.'),
    fixes: [removeFix('export_quantization_bit')],
  }),
  checkRule({
    code: 'export-merge-into-quantized',
    covers: ['R215'],
    severity: ERROR,
    commands: ['export'],
    at: ['quantization_bit'],
    related: ['adapter_name_or_path'],
    when: (ctx) => quantized(ctx) && adapters(ctx).length > 0,
    message: () => t('Adapters cannot be merged into a model quantised with `quantization_bit`; remove it so the merge runs on the full-precision model.'),
    fixes: [removeFix('quantization_bit')],
  }),
];
