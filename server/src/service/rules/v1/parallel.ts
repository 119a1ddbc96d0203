// v1 context and expert parallelism: Ulysses context parallelism (cp_size > 1)
// needs FlashAttention-2, does not run under DeepSpeed and not with Qwen3.5
// models; fsdpturbo's expert-parallel size must divide the data-parallel size.
import { argValue, numberArg, stringArg } from '../../values';
import { pluginBlock, pluginName, subKeyRange } from '../../v1/plugins';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';

const FA2 = 'flash_attention_2';

export const contextParallel = defineRule({
  codes: ['v1-context-parallel'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    const cp = numberArg(ctx.doc, 'cp_size');
    if (cp === undefined || cp <= 1) return [];
    const out = [];
    if (pluginName(ctx.doc, 'dist_config') === 'deepspeed') {
      out.push({
        code: 'v1-context-parallel',
        severity: ERROR,
        at: 'cp_size',
        message: t('Context parallelism (`cp_size: {0}`) is implemented for FSDP only; with `dist_config.name: deepspeed` the trainer stops. Use `fsdp2` or set `cp_size: 1`.', cp),
        related: [{ key: 'dist_config', message: t('the DeepSpeed backend') }],
      });
    }
    if (argValue(ctx.doc, 'flash_attn') !== FA2) {
      out.push({
        code: 'v1-context-parallel',
        severity: ERROR,
        at: 'cp_size',
        message: t('Splitting sequences across GPUs (`cp_size: {0}`) needs `flash_attn: {1}`; the trainer stops with any other attention kernel.', cp, FA2),
        related: [{ key: 'flash_attn', message: t('attention kernel') }],
        fixes: [{ title: t('Set flash_attn: {0}', FA2), ops: [{ set: 'flash_attn', value: FA2 }], preferred: true }],
      });
    }
    if (/qwen3[._-]?5/i.test(stringArg(ctx.doc, 'model') ?? '')) {
      out.push({
        code: 'v1-context-parallel',
        severity: WARNING,
        at: 'cp_size',
        message: t('This looks like a Qwen3.5 model, whose architecture LLaMA-Factory\'s context parallelism does not support yet: training would stop with an error. Set `cp_size: 1`.'),
        related: [{ key: 'model', message: t('Qwen3.5 model') }],
      });
    }
    return out;
  },
});

export const expertParallel = defineRule({
  codes: ['v1-ep-size'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    const ep = pluginBlock(ctx.doc, 'dist_config')?.ep_size;
    const dp = numberArg(ctx.doc, 'dp_size');
    if (pluginName(ctx.doc, 'dist_config') !== 'fsdpturbo' || typeof ep !== 'number' || ep < 1 || dp === undefined || dp % ep === 0) return [];
    const range = subKeyRange(ctx.doc, 'dist_config', 'ep_size')!;
    return [{ code: 'v1-ep-size', severity: ERROR, at: range,
      message: t('Experts are spread over groups of `ep_size: {0}` ranks taken from the {1} data-parallel ranks, so ep_size must divide `dp_size`; LLaMA-Factory stops otherwise.', ep, dp) }];
  },
});

export const parallelRules = [contextParallel, expertParallel];
