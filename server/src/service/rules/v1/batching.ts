// v1 batching strategies: padding-free packing needs FlashAttention-2 varlen
// kernels, and dynamic batching cannot know an epoch's length, so it needs
// max_steps and cannot save by epoch (v1-format.md, launch-time checks).
import { argValue, has, numberArg } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import { show } from '../helpers';

const FA2 = 'flash_attention_2';
const setFa2 = () => ({ title: t('Set {0}: {1}', 'flash_attn', FA2), ops: [{ set: 'flash_attn', value: FA2 }], preferred: true });

export const paddingFreeAttention = defineRule({
  codes: ['v1-padding-free-attention'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    if (argValue(ctx.doc, 'batching_strategy') !== 'padding_free' || argValue(ctx.doc, 'flash_attn') === FA2) return [];
    return [{
      code: 'v1-padding-free-attention',
      severity: ERROR,
      at: 'batching_strategy',
      message: t('Padding-free batching concatenates samples and relies on FlashAttention-2 to keep them apart; with {0} the trainer refuses to start. Set `flash_attn: {1}`.', show('flash_attn', argValue(ctx.doc, 'flash_attn')), FA2),
      onValue: true,
      related: [{ key: 'flash_attn', message: t('attention kernel') }],
      fixes: [setFa2()],
    }];
  },
});

export const dynamicBatching = defineRule({
  codes: ['v1-dynamic-batching'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    if (argValue(ctx.doc, 'batching_strategy') !== 'dynamic_batching') return [];
    const out = [];
    const steps = numberArg(ctx.doc, 'max_steps');
    if (steps === undefined || steps <= 0) {
      out.push({
        code: 'v1-dynamic-batching',
        severity: ERROR,
        at: 'batching_strategy',
        message: t('Dynamic batching packs a varying number of samples per step, so the run length is unknown up front: set a positive `max_steps`, or LLaMA-Factory stops while reading the arguments.'),
        onValue: true,
        related: [{ key: 'max_steps', message: t('not a positive step count') }],
      });
    }
    if (has(ctx.doc, 'save_epochs') && argValue(ctx.doc, 'save_epochs') !== null) {
      out.push({
        code: 'v1-dynamic-batching',
        severity: ERROR,
        at: 'save_epochs',
        message: t('With dynamic batching there are no epoch boundaries to save at; LLaMA-Factory refuses `save_epochs` here. Use `save_steps` instead.'),
        related: [{ key: 'batching_strategy', message: t('dynamic batching') }],
        fixes: [{ title: t('Remove {0}', 'save_epochs'), ops: [{ remove: 'save_epochs' }], preferred: true }],
      });
    }
    return out;
  },
});

export const batchingRules = [paddingFreeAttention, dynamicBatching];
