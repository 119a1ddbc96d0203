// Precision choices LLaMA-Factory warns about or quietly reinterprets during
// training: no mixed precision, fp16 next to pure_bf16, the FP8 all-gather
// switch without FP8.
import { truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, setFix } from '../quick-fixes';

export const precisionRules: Rule[] = [
  defineRule({
    codes: ['train-no-mixed-precision'],
    covers: ['R163'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && !truthy(ctx.doc, 'fp16') && !truthy(ctx.doc, 'bf16') && !truthy(ctx.doc, 'pure_bf16') && !truthy(ctx.doc, 'fp8') && {
      code: 'train-no-mixed-precision',
      severity: WARNING,
      at: ['do_train'],
      message: t('Training without `bf16` or `fp16` runs in float32: slower and about twice the activation memory. Turn on bf16 (Ampere or newer) or fp16 (older GPUs).'),
      fixes: [preferred(setFix('bf16', true, 'do_train')), setFix('fp16', true, 'do_train')],
    },
  }),
  defineRule({
    codes: ['train-fp16-with-pure-bf16'],
    covers: ['R177'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'fp16') && truthy(ctx.doc, 'pure_bf16') && !truthy(ctx.doc, 'bf16') && {
      code: 'train-fp16-with-pure-bf16',
      severity: WARNING,
      at: ['fp16'],
      related: ['pure_bf16'],
      message: t('With `pure_bf16` the model is loaded in bfloat16 even though `fp16` is on, and fp16 loss scaling then runs on bf16 weights. Drop `fp16`.'),
      fixes: [preferred(removeFix('fp16'))],
    },
  }),
  defineRule({
    codes: ['train-fp8-all-gather-without-fp8'],
    covers: ['R160'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'fp8_enable_fsdp_float8_all_gather') && !truthy(ctx.doc, 'fp8') && !truthy(ctx.doc, 'use_mca') && !truthy(ctx.doc, 'use_megatron_bridge') && {
      code: 'train-fp8-all-gather-without-fp8',
      severity: WARNING,
      at: ['fp8_enable_fsdp_float8_all_gather'],
      related: ['fp8'],
      message: t('The FP8 all-gather switch does nothing without `fp8: true`: LLaMA-Factory logs that it enables FP8, but training stays in 16 bit.'),
      fixes: [preferred(setFix('fp8', true, 'fp8_enable_fsdp_float8_all_gather')), removeFix('fp8_enable_fsdp_float8_all_gather')],
    },
  }),
];
