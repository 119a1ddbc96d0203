// Checks that depend on the command a config is written for: inference
// backends outside chat, vLLM's limits, adapters outside LoRA, eval configs,
// and options LLaMA-Factory overrides during training.
import type { Rule, RuleContext } from '../types';
import { checkRule, closestFix, didYouMean, ERROR, INFO, removeFix, setFix, WARNING } from './declare';
import lists from '../../facts/lists.json';
import { argValue, isSet, names, truthy } from '../../values';
import { t } from '../../l10n';

const vllm = (ctx: RuleContext) => argValue(ctx.doc, 'infer_backend') === 'vllm';
const ALL = ['train', 'chat', 'export', 'eval'] as const;

const FLASH_ATTN: readonly string[] = lists.enums.flash_attn;
/** The AttentionFunction values of the user's release (`off` before 0.8.3, `fa3` from 0.9.4), else main's. */
const flashAttn = (ctx: RuleContext): readonly string[] => (ctx.release?.facts.keys.get('flash_attn')?.choices as string[] | undefined) ?? FLASH_ATTN;

export const commandRules: Rule[] = [
  checkRule({
    code: 'flash-attn-unknown',
    covers: ['R229'],
    severity: ERROR,
    commands: ALL,
    at: ['flash_attn'],
    onValue: true,
    when: (ctx) => ctx.doc.byKey.has('flash_attn') && !flashAttn(ctx).includes(argValue(ctx.doc, 'flash_attn') as string),
    message: (ctx) => t('Unknown attention implementation; `flash_attn` takes {0} and anything else stops model loading.{1}', flashAttn(ctx).join(', '), didYouMean(argValue(ctx.doc, 'flash_attn'), flashAttn(ctx))),
    fixes: [closestFix('flash_attn', () => FLASH_ATTN)],
  }),
  checkRule({
    code: 'train-infer-backend',
    covers: ['R141'],
    severity: ERROR,
    at: ['infer_backend'],
    onValue: true,
    when: (ctx) => argValue(ctx.doc, 'infer_backend') !== 'huggingface',
    message: () => t('vLLM and SGLang serve chat/api/webchat only; training and prediction with `llamafactory-cli train` need `infer_backend: huggingface`.'),
    fixes: [setFix('infer_backend', 'huggingface'), removeFix('infer_backend')],
  }),
  checkRule({
    code: 'adapter-needs-lora',
    covers: ['R145'],
    severity: ERROR,
    commands: ALL,
    at: ['finetuning_type', 'adapter_name_or_path'],
    related: ['adapter_name_or_path'],
    when: (ctx) => isSet(ctx.doc, 'adapter_name_or_path') && argValue(ctx.doc, 'finetuning_type') !== 'lora',
    message: (ctx) => t('`adapter_name_or_path` loads LoRA adapters, so LLaMA-Factory requires `finetuning_type: lora` (got {0}).', String(argValue(ctx.doc, 'finetuning_type'))),
    fixes: [setFix('finetuning_type', 'lora')],
  }),
  checkRule({
    code: 'vllm-stage',
    covers: ['R192'],
    severity: ERROR,
    commands: ['chat'],
    at: ['stage'],
    onValue: true,
    related: ['infer_backend'],
    when: (ctx) => vllm(ctx) && ctx.doc.byKey.has('stage') && argValue(ctx.doc, 'stage') !== 'sft',
    message: () => t('vLLM serves causal language models only; this backend needs `stage: sft`.'),
  }),
  checkRule({
    code: 'vllm-quantization-bit',
    covers: ['R193'],
    severity: ERROR,
    commands: ['chat'],
    at: ['quantization_bit'],
    related: ['infer_backend'],
    when: (ctx) => vllm(ctx) && isSet(ctx.doc, 'quantization_bit'),
    message: () => t('vLLM cannot quantise on the fly with `quantization_bit`; use a GPTQ/AWQ checkpoint or the huggingface backend.'),
    fixes: [removeFix('quantization_bit')],
  }),
  checkRule({
    code: 'vllm-rope-scaling',
    covers: ['R194'],
    severity: ERROR,
    commands: ['chat'],
    at: ['rope_scaling'],
    related: ['infer_backend'],
    when: (ctx) => vllm(ctx) && isSet(ctx.doc, 'rope_scaling'),
    message: () => t('The vLLM backend does not take `rope_scaling` from LLaMA-Factory; remove it or use the huggingface backend.'),
    fixes: [removeFix('rope_scaling')],
  }),
  checkRule({
    code: 'vllm-several-adapters',
    covers: ['R195'],
    severity: ERROR,
    commands: ['chat'],
    at: ['adapter_name_or_path'],
    onValue: true,
    related: ['infer_backend'],
    when: (ctx) => vllm(ctx) && names(argValue(ctx.doc, 'adapter_name_or_path')).length > 1,
    message: () => t('vLLM serves one LoRA adapter at a time; merge the others into the base model first.'),
  }),
  checkRule({
    code: 'eval-infer-backend',
    covers: ['R199'],
    severity: ERROR,
    commands: ['eval'],
    at: ['infer_backend'],
    onValue: true,
    when: (ctx) => argValue(ctx.doc, 'infer_backend') !== 'huggingface',
    message: () => t('Benchmark evaluation runs on the huggingface backend only.'),
    fixes: [setFix('infer_backend', 'huggingface')],
  }),
  checkRule({
    code: 'eval-command-removed',
    covers: ['R204'],
    severity: WARNING,
    commands: ['eval'],
    at: ['task'],
    when: () => true,
    message: () => t('`llamafactory-cli eval` no longer runs benchmark evaluations (it stops with "not implemented"); this config only works through the Python API or the Web UI.'),
  }),
  checkRule({
    code: 'train-generation-beams-overridden',
    covers: ['R168'],
    severity: INFO,
    at: ['generation_num_beams'],
    related: ['eval_num_beams'],
    when: (ctx) => isSet(ctx.doc, 'eval_num_beams') && isSet(ctx.doc, 'generation_num_beams') && argValue(ctx.doc, 'eval_num_beams') !== argValue(ctx.doc, 'generation_num_beams'),
    message: (ctx) => t('`eval_num_beams` wins: LLaMA-Factory sets generation_num_beams to {0}.', String(argValue(ctx.doc, 'eval_num_beams'))),
    fixes: [removeFix('generation_num_beams')],
  }),
  checkRule({
    code: 'train-remove-unused-columns-overridden',
    covers: ['R169'],
    severity: INFO,
    at: ['remove_unused_columns'],
    when: (ctx) => ctx.doc.byKey.has('remove_unused_columns') && truthy(ctx.doc, 'remove_unused_columns'),
    message: () => t('LLaMA-Factory always sets `remove_unused_columns` to false (its collators need every column); this line has no effect.'),
    fixes: [removeFix('remove_unused_columns')],
  }),
  checkRule({
    code: 'train-resize-vocab-targets',
    covers: ['R161', 'R252'],
    severity: WARNING,
    at: ['resize_vocab'],
    when: (ctx) => truthy(ctx.doc, 'do_train') && truthy(ctx.doc, 'resize_vocab') && argValue(ctx.doc, 'finetuning_type') === 'lora' && !isSet(ctx.doc, 'quantization_bit') && !isSet(ctx.doc, 'additional_target'),
    message: () => t('Resized embeddings must be trained: without `additional_target`, LLaMA-Factory adds the input and output embedding layers to the trainable modules itself (larger adapter, more memory).'),
  }),
  checkRule({
    code: 'train-v1-kernels',
    covers: ['R246'],
    severity: WARNING,
    at: ['use_v1_kernels'],
    when: (ctx) => truthy(ctx.doc, 'do_train') && truthy(ctx.doc, 'use_v1_kernels'),
    message: () => t('The v1 kernels are experimental for training; results and speed may differ from the default kernels.'),
  }),
];
