// Folders a training run writes to or reads from, looked at before launch:
// an output_dir that already holds weights (refused) or checkpoints (silently
// resumed), and a tokenized_path that already holds data (other data options ignored).
import * as path from 'node:path';
import { resolveReference } from '../../files';
import type { ResolvedFile } from '../../files';
import type { AnalysisContext } from '../../context';
import { argValue, isSet, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, INFO, WARNING } from '../rule';
import type { Finding } from '../rule';
import { preferred, setFix } from '../quick-fixes';

/** Weight files whose presence makes LLaMA-Factory refuse a non-empty output_dir. */
const WEIGHT_FILES = ['adapter_model.safetensors', 'adapter_model.bin', 'model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

function findFolder(ctx: AnalysisContext, key: string): ResolvedFile | undefined {
  const v = argValue(ctx.doc, key);
  return typeof v === 'string' ? resolveReference(v, ctx.configPath, ctx.host, (p) => ctx.host.isDirectory(p)) : undefined;
}

function lastCheckpoint(ctx: AnalysisContext, dir: string): string | undefined {
  let best: { name: string; step: number } | undefined;
  for (const name of ctx.host.listDir(dir)) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m && ctx.host.isDirectory(path.join(dir, name)) && (!best || Number(m[1]) > best.step)) best = { name, step: Number(m[1]) };
  }
  return best?.name;
}

/** transformers/LLaMA-Factory only look at output_dir when they would otherwise start from scratch. */
function watchesOutputDir(ctx: AnalysisContext): boolean {
  const stage = argValue(ctx.doc, 'stage');
  const ft = argValue(ctx.doc, 'finetuning_type');
  const resumable = !(['rm', 'ppo'].includes(stage as string) && ['full', 'freeze'].includes(ft as string));
  return truthy(ctx.doc, 'do_train') && !isSet(ctx.doc, 'resume_from_checkpoint') && !truthy(ctx.doc, 'overwrite_output_dir') && resumable;
}

const overwrite = () => preferred(setFix('overwrite_output_dir', true, 'output_dir', t('Set `overwrite_output_dir: true`')));

export const outputDirRule = defineRule({
  codes: ['output-dir-not-empty', 'output-dir-resumes'],
  covers: ['R174', 'R175'],
  appliesTo: { commands: ['train'] },
  check(ctx) {
    if (!ctx.doc.byKey.has('output_dir') || !watchesOutputDir(ctx)) return [];
    const dir = findFolder(ctx, 'output_dir');
    if (!dir) return [];
    const checkpoint = lastCheckpoint(ctx, dir.path);
    if (checkpoint) {
      return { code: 'output-dir-resumes', severity: INFO, at: ctx.doc.byKey.get('output_dir')!.valueRange, fixes: [overwrite()],
        message: t('`{0}` already holds `{1}`: LLaMA-Factory will resume from it instead of starting over. Set `overwrite_output_dir: true` to start fresh.', dir.path, checkpoint) };
    }
    const files = new Set(ctx.host.listDir(dir.path));
    const weights = WEIGHT_FILES.filter((f) => files.has(f));
    if (weights.length === 0) return [];
    return { code: 'output-dir-not-empty', severity: ERROR, at: ctx.doc.byKey.get('output_dir')!.valueRange, fixes: [overwrite()],
      message: t('`{0}` already holds trained weights ({1}) and no checkpoint to resume from; LLaMA-Factory refuses to write over them. Choose another output_dir or set `overwrite_output_dir: true`.', dir.path, weights.join(', ')) };
  },
});

export const tokenizedPathRule = defineRule({
  codes: ['tokenized-path-reused', 'tokenized-path-streaming'],
  covers: ['R225'],
  appliesTo: { commands: ['train'] },
  check(ctx): Finding[] {
    const entry = ctx.doc.byKey.get('tokenized_path');
    if (!entry || !isSet(ctx.doc, 'tokenized_path')) return [];
    const dir = findFolder(ctx, 'tokenized_path');
    if (dir !== undefined && ctx.host.listDir(dir.path).length > 0) {
      return [{ code: 'tokenized-path-reused', severity: WARNING, at: entry.valueRange,
        message: t('`{0}` already holds a tokenized dataset: LLaMA-Factory loads it and ignores dataset, template, cutoff_len and the other data options. Delete the folder to re-tokenize.', dir.path) }];
    }
    if (!truthy(ctx.doc, 'streaming')) return [];
    return [{ code: 'tokenized-path-streaming', severity: ERROR, at: 'tokenized_path', related: [{ key: 'streaming', message: t('`streaming` is set here.') }],
      message: t('A streamed dataset cannot be saved to `tokenized_path`; turn off `streaming` for the tokenizing run.') }];
  },
});
