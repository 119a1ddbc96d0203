// v1 plugin blocks whose problems only show when training starts: no
// learning-rate schedule plugin exists yet, `optim_config.lr` is overridden,
// and merging a LoRA needs both the adapter and the output folder.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { makeDiagnostic } from '../../types';
import { argValue } from '../../values';
import { pluginBlock, pluginName, subKeyRange } from '../../v1/plugins';
import { defineRule, report } from '../args/report';
import { t } from '../../l10n';

export const lrSchedulerPlugin = defineRule(['v1-lr-scheduler'], [], (ctx) => {
  const value = argValue(ctx.doc, 'lr_scheduler_config');
  if (value === null || value === undefined) return [];
  return [report(ctx, 'lr_scheduler_config', DiagnosticSeverity.Error, 'v1-lr-scheduler',
    t('LLaMA-Factory v1 has no learning-rate schedule plugin yet, so any `lr_scheduler_config` fails when the trainer starts. Remove it to train at a constant rate.'),
    { fixes: [{ title: t('Remove {0}', 'lr_scheduler_config'), ops: [{ remove: 'lr_scheduler_config' }], preferred: true }] })];
});

export const optimizerLr = defineRule(['v1-optim-lr'], [], (ctx) => {
  const block = pluginBlock(ctx.doc, 'optim_config');
  if (!block || !('lr' in block)) return [];
  return [makeDiagnostic(subKeyRange(ctx.doc, 'optim_config', 'lr')!, DiagnosticSeverity.Warning, 'v1-optim-lr',
    t('`optim_config.lr` is ignored: v1 warns and trains with the top-level `learning_rate` ({0}). Set the rate there.', String(argValue(ctx.doc, 'learning_rate'))))];
});

export const mergeNeedsAdapter = defineRule(['v1-merge-incomplete'], [], (ctx) => {
  const block = pluginBlock(ctx.doc, 'peft_config');
  if (pluginName(ctx.doc, 'peft_config') !== 'lora' || !block?.export_dir || block.adapter_name_or_path) return [];
  return [makeDiagnostic(subKeyRange(ctx.doc, 'peft_config', 'export_dir')!, DiagnosticSeverity.Warning, 'v1-merge-incomplete',
    t('`export_dir` is where `llamafactory-cli merge` writes the merged model, but there is no `adapter_name_or_path` to merge; the merge stops without one.'))];
});

export const pluginRules = [lrSchedulerPlugin, optimizerLr, mergeNeedsAdapter];
