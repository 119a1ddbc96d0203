// v1 plugin blocks whose problems only show when training starts: no
// learning-rate schedule plugin exists yet, `optim_config.lr` is overridden,
// and merging a LoRA needs both the adapter and the output folder.
import { argValue } from '../../values';
import { pluginBlock, pluginName, subKeyRange } from '../../v1/plugins';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';

export const lrSchedulerPlugin = defineRule({
  codes: ['v1-lr-scheduler'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    const value = argValue(ctx.doc, 'lr_scheduler_config');
    if (value === null || value === undefined) return [];
    return [{
      code: 'v1-lr-scheduler',
      severity: ERROR,
      at: 'lr_scheduler_config',
      message: t('LLaMA-Factory v1 has no learning-rate schedule plugin yet, so any `lr_scheduler_config` fails when the trainer starts. Remove it to train at a constant rate.'),
      fixes: [{ title: t('Remove {0}', 'lr_scheduler_config'), ops: [{ remove: 'lr_scheduler_config' }], preferred: true }],
    }];
  },
});

export const optimizerLr = defineRule({
  codes: ['v1-optim-lr'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    const block = pluginBlock(ctx.doc, 'optim_config');
    if (!block || !('lr' in block)) return [];
    return [{ code: 'v1-optim-lr', severity: WARNING, at: subKeyRange(ctx.doc, 'optim_config', 'lr')!,
      message: t('`optim_config.lr` is ignored: v1 warns and trains with the top-level `learning_rate` ({0}). Set the rate there.', String(argValue(ctx.doc, 'learning_rate'))) }];
  },
});

export const mergeNeedsAdapter = defineRule({
  codes: ['v1-merge-incomplete'],
  covers: [],
  appliesTo: { kinds: ['llamafactory-v1'] },
  check: (ctx) => {
    const block = pluginBlock(ctx.doc, 'peft_config');
    if (pluginName(ctx.doc, 'peft_config') !== 'lora' || !block?.export_dir || block.adapter_name_or_path) return [];
    return [{ code: 'v1-merge-incomplete', severity: WARNING, at: subKeyRange(ctx.doc, 'peft_config', 'export_dir')!,
      message: t('`export_dir` is where `llamafactory-cli merge` writes the merged model, but there is no `adapter_name_or_path` to merge; the merge stops without one.') }];
  },
});

export const pluginRules = [lrSchedulerPlugin, optimizerLr, mergeNeedsAdapter];
