// Checks that depend on the command a config is written for: inference
// backends outside chat, vLLM's limits, adapters outside LoRA, eval configs,
// and options LLaMA-Factory overrides during training.
import lists from '../../facts/lists.json';
import { foreignValue } from '../../schema/foreign';
import { argValue, isSet, names, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING, INFO } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, setFix, closestFix } from '../quick-fixes';
import { didYouMean } from '../helpers';
import type { AnalysisContext } from '../../context';

const vllm = (ctx: AnalysisContext) => argValue(ctx.doc, 'infer_backend') === 'vllm';
const ALL = ['train', 'chat', 'export', 'eval'] as const;

const FLASH_ATTN: readonly string[] = lists.enums.flash_attn;
/** The AttentionFunction values of the user's release (`off` before 0.8.3, `fa3` from 0.9.4), else main's. */
const flashAttn = (ctx: AnalysisContext): readonly string[] => (ctx.release?.facts.keys.get('flash_attn')?.choices as string[] | undefined) ?? FLASH_ATTN;

export const commandRules: Rule[] = [
  defineRule({
    codes: ['flash-attn-unknown'],
    covers: ['R229'],
    appliesTo: { commands: ALL },
    // Another tool's name for an implementation (flash_attention_2) is reported as such by the schema check.
    check: (ctx) => ctx.doc.byKey.has('flash_attn') && !flashAttn(ctx).includes(argValue(ctx.doc, 'flash_attn') as string) && !foreignValue('flash_attn', argValue(ctx.doc, 'flash_attn')) && {
      code: 'flash-attn-unknown',
      severity: ERROR,
      at: ['flash_attn'],
      onValue: true,
      message: t('Unknown attention implementation; `flash_attn` takes {0} and anything else stops model loading.{1}', flashAttn(ctx).join(', '), didYouMean(argValue(ctx.doc, 'flash_attn'), flashAttn(ctx))),
      fixes: [preferred(closestFix(ctx, 'flash_attn', flashAttn(ctx)))],
    },
  }),
  defineRule({
    codes: ['train-infer-backend'],
    covers: ['R141'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => (argValue(ctx.doc, 'infer_backend') !== 'huggingface') && {
      code: 'train-infer-backend',
      severity: ERROR,
      at: ['infer_backend'],
      onValue: true,
      message: t('vLLM and SGLang serve chat/api/webchat only; training and prediction with `llamafactory-cli train` need `infer_backend: huggingface`.'),
      fixes: [preferred(setFix('infer_backend', 'huggingface')), removeFix('infer_backend')],
    },
  }),
  defineRule({
    codes: ['adapter-needs-lora'],
    covers: ['R145'],
    appliesTo: { commands: ALL },
    check: (ctx) => isSet(ctx.doc, 'adapter_name_or_path') && argValue(ctx.doc, 'finetuning_type') !== 'lora' && {
      code: 'adapter-needs-lora',
      severity: ERROR,
      at: ['finetuning_type', 'adapter_name_or_path'],
      related: ['adapter_name_or_path'],
      message: t('`adapter_name_or_path` loads LoRA adapters, so LLaMA-Factory requires `finetuning_type: lora` (got {0}).', String(argValue(ctx.doc, 'finetuning_type'))),
      fixes: [preferred(setFix('finetuning_type', 'lora'))],
    },
  }),
  defineRule({
    codes: ['vllm-stage'],
    covers: ['R192'],
    appliesTo: { commands: ['chat'] },
    check: (ctx) => vllm(ctx) && ctx.doc.byKey.has('stage') && argValue(ctx.doc, 'stage') !== 'sft' && {
      code: 'vllm-stage',
      severity: ERROR,
      at: ['stage'],
      onValue: true,
      related: ['infer_backend'],
      message: t('vLLM serves causal language models only; this backend needs `stage: sft`.'),
    },
  }),
  defineRule({
    codes: ['vllm-quantization-bit'],
    covers: ['R193'],
    appliesTo: { commands: ['chat'] },
    check: (ctx) => vllm(ctx) && isSet(ctx.doc, 'quantization_bit') && {
      code: 'vllm-quantization-bit',
      severity: ERROR,
      at: ['quantization_bit'],
      related: ['infer_backend'],
      message: t('vLLM cannot quantise on the fly with `quantization_bit`; use a GPTQ/AWQ checkpoint or the huggingface backend.'),
      fixes: [preferred(removeFix('quantization_bit'))],
    },
  }),
  defineRule({
    codes: ['vllm-rope-scaling'],
    covers: ['R194'],
    appliesTo: { commands: ['chat'] },
    check: (ctx) => vllm(ctx) && isSet(ctx.doc, 'rope_scaling') && {
      code: 'vllm-rope-scaling',
      severity: ERROR,
      at: ['rope_scaling'],
      related: ['infer_backend'],
      message: t('The vLLM backend does not take `rope_scaling` from LLaMA-Factory; remove it or use the huggingface backend.'),
      fixes: [preferred(removeFix('rope_scaling'))],
    },
  }),
  defineRule({
    codes: ['vllm-several-adapters'],
    covers: ['R195'],
    appliesTo: { commands: ['chat'] },
    check: (ctx) => vllm(ctx) && names(argValue(ctx.doc, 'adapter_name_or_path')).length > 1 && {
      code: 'vllm-several-adapters',
      severity: ERROR,
      at: ['adapter_name_or_path'],
      onValue: true,
      related: ['infer_backend'],
      message: t('vLLM serves one LoRA adapter at a time; merge the others into the base model first.'),
    },
  }),
  defineRule({
    codes: ['eval-infer-backend'],
    covers: ['R199'],
    appliesTo: { commands: ['eval'] },
    check: (ctx) => (argValue(ctx.doc, 'infer_backend') !== 'huggingface') && {
      code: 'eval-infer-backend',
      severity: ERROR,
      at: ['infer_backend'],
      onValue: true,
      message: t('Benchmark evaluation runs on the huggingface backend only.'),
      fixes: [preferred(setFix('infer_backend', 'huggingface'))],
    },
  }),
  defineRule({
    codes: ['eval-command-removed'],
    covers: ['R204'],
    appliesTo: { commands: ['eval'] },
    check: () => ({
      code: 'eval-command-removed',
      severity: WARNING,
      at: ['task'],
      message: t('`llamafactory-cli eval` no longer runs benchmark evaluations (it stops with "not implemented"); this config only works through the Python API or the Web UI.'),
    }),
  }),
  defineRule({
    codes: ['train-generation-beams-overridden'],
    covers: ['R168'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => isSet(ctx.doc, 'eval_num_beams') && isSet(ctx.doc, 'generation_num_beams') && argValue(ctx.doc, 'eval_num_beams') !== argValue(ctx.doc, 'generation_num_beams') && {
      code: 'train-generation-beams-overridden',
      severity: INFO,
      at: ['generation_num_beams'],
      related: ['eval_num_beams'],
      message: t('`eval_num_beams` wins: LLaMA-Factory sets generation_num_beams to {0}.', String(argValue(ctx.doc, 'eval_num_beams'))),
      fixes: [preferred(removeFix('generation_num_beams'))],
    },
  }),
  defineRule({
    codes: ['train-remove-unused-columns-overridden'],
    covers: ['R169'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => ctx.doc.byKey.has('remove_unused_columns') && truthy(ctx.doc, 'remove_unused_columns') && {
      code: 'train-remove-unused-columns-overridden',
      severity: INFO,
      at: ['remove_unused_columns'],
      message: t('LLaMA-Factory always sets `remove_unused_columns` to false (its collators need every column); this line has no effect.'),
      fixes: [preferred(removeFix('remove_unused_columns'))],
    },
  }),
  defineRule({
    codes: ['train-resize-vocab-targets'],
    covers: ['R161', 'R252'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && truthy(ctx.doc, 'resize_vocab') && argValue(ctx.doc, 'finetuning_type') === 'lora' && !isSet(ctx.doc, 'quantization_bit') && !isSet(ctx.doc, 'additional_target') && {
      code: 'train-resize-vocab-targets',
      severity: WARNING,
      at: ['resize_vocab'],
      message: t('Resized embeddings must be trained: without `additional_target`, LLaMA-Factory adds the input and output embedding layers to the trainable modules itself (larger adapter, more memory).'),
    },
  }),
  defineRule({
    codes: ['train-v1-kernels'],
    covers: ['R246'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && truthy(ctx.doc, 'use_v1_kernels') && {
      code: 'train-v1-kernels',
      severity: WARNING,
      at: ['use_v1_kernels'],
      message: t('The v1 kernels are experimental for training; results and speed may differ from the default kernels.'),
    },
  }),
];
