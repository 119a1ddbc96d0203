// Quantisation checks: what on-the-fly quantisation (quantization_bit)
// combines with, the bit widths each method accepts, and export quantisation.
import { zero3 } from '../../context/config-files';
import { inMainWords } from '../../context/release/value-renames';
import { argValue, isSet, names, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, setFix } from '../quick-fixes';
import { laterFirst } from '../helpers';
import type { AnalysisContext } from '../../context';

const ALL = ['train', 'chat', 'export', 'eval'] as const;
const quantized = (ctx: AnalysisContext) => isSet(ctx.doc, 'quantization_bit');
const method = (ctx: AnalysisContext) => inMainWords(ctx.release, 'quantization_method', argValue(ctx.doc, 'quantization_method'));
const bits = (ctx: AnalysisContext) => argValue(ctx.doc, 'quantization_bit');
const adapters = (ctx: AnalysisContext) => names(argValue(ctx.doc, 'adapter_name_or_path'));
const BITS_BY_METHOD: Record<string, readonly number[]> = lists.enums.quantization_bit_by_method;
const ON_THE_FLY: readonly string[] = lists.enums.quantization_method_applied_on_the_fly;
const METHODS: readonly string[] = lists.enums.quantization_method;
const EXPORT_BITS: readonly number[] = lists.enums.export_quantization_bit;
/** FSDP as far as the YAML shows it (an Accelerate config can also turn it on). */
const fsdp = (ctx: AnalysisContext) => truthy(ctx.doc, 'fsdp');

/** Bit widths a method accepts, checked when that method quantises on the fly. */
function bitsRule(m: string, covers: string): Rule {
  const allowed = BITS_BY_METHOD[m];
  return defineRule({
    codes: [`quant-${m}-bits`],
    covers: [covers],
    appliesTo: { commands: ALL },
    check: (ctx) => method(ctx) === m && quantized(ctx) && !allowed.includes(bits(ctx) as number) && {
      code: `quant-${m}-bits`,
      severity: ERROR,
      at: ['quantization_bit'],
      onValue: true,
      related: ['quantization_method'],
      message: t('{0} quantisation accepts `quantization_bit` {1} only.', m, allowed.join(', ')),
    },
  });
}

/** Methods that cannot run with their weights sharded by ZeRO-3 or FSDP. */
function shardedRule(m: string, covers: string, extra: (ctx: AnalysisContext) => boolean = () => true): Rule {
  return defineRule({
    codes: [`quant-${m}-sharded`],
    covers: [covers],
    appliesTo: { commands: ['train'] },
    check: (ctx) => method(ctx) === m && quantized(ctx) && extra(ctx) && (zero3(ctx) || fsdp(ctx) || (m === 'bnb' && argValue(ctx.doc, 'quantization_device_map') === 'auto')) && {
      code: `quant-${m}-sharded`,
      severity: ERROR,
      at: ['quantization_bit'],
      related: ['deepspeed', 'fsdp', 'quantization_method', 'quantization_device_map'],
      message: m === 'bnb'
      ? t('{0} quantisation in 8 bit cannot be combined with DeepSpeed ZeRO-3, FSDP or `quantization_device_map: auto`. Use `quantization_bit: 4` there.', m)
      : t('{0} quantisation cannot be combined with DeepSpeed ZeRO-3 or FSDP.', m),
      fixes: m === 'bnb' ? [preferred(setFix('quantization_bit', 4))] : [],
    },
  });
}

export const quantizationRules: Rule[] = [
  defineRule({
    codes: ['quant-needs-lora'],
    covers: ['R146', 'R254'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && !['lora', 'oft'].includes(argValue(ctx.doc, 'finetuning_type') as string) && {
      code: 'quant-needs-lora',
      severity: ERROR,
      at: ['quantization_bit'],
      related: ['finetuning_type'],
      message: t('A quantised model can only be tuned with LoRA or OFT adapters, not `finetuning_type: {0}`. Remove `quantization_bit` or switch to lora.', String(argValue(ctx.doc, 'finetuning_type'))),
      fixes: [preferred(removeFix('quantization_bit')), setFix('finetuning_type', 'lora')],
    },
  }),
  defineRule({
    codes: ['quant-pissa-init'],
    covers: ['R147', 'R254'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && truthy(ctx.doc, 'pissa_init') && {
      code: 'quant-pissa-init',
      severity: ERROR,
      at: ['pissa_init'],
      related: ['quantization_bit'],
      message: t('PiSSA cannot be initialised on a model quantised on the fly; run scripts/pissa_init.py first and train from its output.'),
      fixes: [preferred(removeFix('pissa_init'))],
    },
  }),
  defineRule({
    codes: ['quant-resize-vocab'],
    covers: ['R148'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && truthy(ctx.doc, 'resize_vocab') && {
      code: 'quant-resize-vocab',
      severity: ERROR,
      at: ['resize_vocab'],
      related: ['quantization_bit'],
      message: t('The embeddings of a quantised model cannot be resized; remove `resize_vocab` or `quantization_bit`.'),
      fixes: [preferred(removeFix('resize_vocab'))],
    },
  }),
  defineRule({
    codes: ['quant-new-adapter'],
    covers: ['R149'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && adapters(ctx).length > 0 && truthy(ctx.doc, 'create_new_adapter') && {
      code: 'quant-new-adapter',
      severity: ERROR,
      at: ['create_new_adapter'],
      related: ['quantization_bit', 'adapter_name_or_path'],
      message: t('A new adapter cannot be stacked on existing adapters of a quantised model; remove `create_new_adapter`.'),
      fixes: [preferred(removeFix('create_new_adapter'))],
    },
  }),
  defineRule({
    codes: ['quant-several-adapters'],
    covers: ['R150', 'R250'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && adapters(ctx).length > 1 && {
      code: 'quant-several-adapters',
      severity: ERROR,
      at: ['adapter_name_or_path'],
      onValue: true,
      related: ['quantization_bit'],
      message: t('A quantised model takes a single adapter; merge the adapters into the base model first (llamafactory-cli export).'),
    },
  }),
  defineRule({
    codes: ['quant-fp8-exclusive'],
    covers: ['R140'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'fp8') && quantized(ctx) && !truthy(ctx.doc, 'use_mca') && !truthy(ctx.doc, 'use_megatron_bridge') && {
      code: 'quant-fp8-exclusive',
      severity: ERROR,
      at: laterFirst(ctx, 'fp8', 'quantization_bit'),
      message: t('FP8 training and `quantization_bit` cannot be used together; choose one.'),
      fixes: [preferred(removeFix('fp8')), removeFix('quantization_bit')],
    },
  }),
  defineRule({
    codes: ['quant-device-map-auto-training'],
    covers: ['R131'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && argValue(ctx.doc, 'quantization_device_map') === 'auto' && {
      code: 'quant-device-map-auto-training',
      severity: ERROR,
      at: ['quantization_device_map'],
      related: ['do_train'],
      message: t('`quantization_device_map: auto` spreads the model over devices, which LLaMA-Factory only allows for inference; remove it for training.'),
      fixes: [preferred(removeFix('quantization_device_map'))],
    },
  }),
  defineRule({
    codes: ['quant-upcast-layernorm'],
    covers: ['R162'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && quantized(ctx) && !truthy(ctx.doc, 'upcast_layernorm') && {
      code: 'quant-upcast-layernorm',
      severity: WARNING,
      at: ['quantization_bit'],
      message: t('LLaMA-Factory recommends `upcast_layernorm: true` when training a quantised model, for stability.'),
      fixes: [preferred(setFix('upcast_layernorm', true, 'quantization_bit'))],
    },
  }),
  defineRule({
    codes: ['quant-eval-score'],
    covers: ['R165'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => !truthy(ctx.doc, 'do_train') && quantized(ctx) && {
      code: 'quant-eval-score',
      severity: WARNING,
      at: ['quantization_bit'],
      message: t('Evaluating or predicting with a 4/8-bit model can score lower than the full-precision model.'),
    },
  }),
  defineRule({
    codes: ['quant-method-ignored'],
    covers: ['R238'],
    appliesTo: { commands: ALL },
    check: (ctx) => quantized(ctx) && METHODS.includes(method(ctx) as string) && !ON_THE_FLY.includes(method(ctx) as string) && {
      code: 'quant-method-ignored',
      severity: WARNING,
      at: ['quantization_bit'],
      related: ['quantization_method'],
      message: t('`quantization_method: {0}` does not quantise on the fly: `quantization_bit` is ignored, and a checkpoint that is not already {1}-quantised trains in 16 bit. Use bnb, hqq or eetq, or a pre-quantised checkpoint without `quantization_bit`.', String(method(ctx)), String(method(ctx))),
      fixes: [preferred(removeFix('quantization_bit'))],
    },
  }),
  bitsRule('bnb', 'R234'),
  bitsRule('hqq', 'R236'),
  bitsRule('eetq', 'R237'),
  shardedRule('bnb', 'R235', (ctx) => bits(ctx) === 8),
  shardedRule('hqq', 'R236'),
  shardedRule('eetq', 'R237'),
  defineRule({
    codes: ['export-quantization-bits'],
    covers: ['R233'],
    appliesTo: { commands: ['export'] },
    check: (ctx) => isSet(ctx.doc, 'export_quantization_bit') && !EXPORT_BITS.includes(argValue(ctx.doc, 'export_quantization_bit') as number) && {
      code: 'export-quantization-bits',
      severity: ERROR,
      at: ['export_quantization_bit'],
      onValue: true,
      message: t('GPTQ export quantisation accepts `export_quantization_bit` {0} only.', EXPORT_BITS.join(', ')),
    },
  }),
  defineRule({
    codes: ['export-quantize-with-adapters'],
    covers: ['R214'],
    appliesTo: { commands: ['export'] },
    check: (ctx) => isSet(ctx.doc, 'export_quantization_bit') && adapters(ctx).length > 0 && {
      code: 'export-quantize-with-adapters',
      severity: ERROR,
      at: ['export_quantization_bit'],
      related: ['adapter_name_or_path'],
      message: t('Adapters must be merged before the model is quantised: export once without `export_quantization_bit`, then quantise the merged model.'),
      fixes: [preferred(removeFix('export_quantization_bit'))],
    },
  }),
  defineRule({
    codes: ['export-merge-into-quantized'],
    covers: ['R215'],
    appliesTo: { commands: ['export'] },
    check: (ctx) => quantized(ctx) && adapters(ctx).length > 0 && {
      code: 'export-merge-into-quantized',
      severity: ERROR,
      at: ['quantization_bit'],
      related: ['adapter_name_or_path'],
      message: t('Adapters cannot be merged into a model quantised with `quantization_bit`; remove it so the merge runs on the full-precision model.'),
      fixes: [preferred(removeFix('quantization_bit'))],
    },
  }),
];
