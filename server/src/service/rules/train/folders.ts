// Folders a training run writes to or reads from, looked at before launch:
// an output_dir that already holds weights (refused) or checkpoints (silently
// resumed), and a tokenized_path that already holds data (other data options ignored).
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { resolveReference, ResolvedFile } from '../../files';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { ERROR, INFO, setFix, WARNING } from './declare';
import { argValue, commandOf, isSet, isV0, truthy } from '../../values';
import { t } from '../../l10n';

/** Weight files whose presence makes LLaMA-Factory refuse a non-empty output_dir. */
const WEIGHT_FILES = ['adapter_model.safetensors', 'adapter_model.bin', 'model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

function findFolder(ctx: RuleContext, key: string): ResolvedFile | undefined {
  const v = argValue(ctx.doc, key);
  return typeof v === 'string' ? resolveReference(v, ctx.configPath, ctx.host, (p) => ctx.host.isDirectory(p)) : undefined;
}

function lastCheckpoint(ctx: RuleContext, dir: string): string | undefined {
  let best: { name: string; step: number } | undefined;
  for (const name of ctx.host.listDir(dir)) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m && ctx.host.isDirectory(path.join(dir, name)) && (!best || Number(m[1]) > best.step)) best = { name, step: Number(m[1]) };
  }
  return best?.name;
}

/** transformers/LLaMA-Factory only look at output_dir when they would otherwise start from scratch. */
function watchesOutputDir(ctx: RuleContext): boolean {
  const stage = argValue(ctx.doc, 'stage');
  const ft = argValue(ctx.doc, 'finetuning_type');
  const resumable = !(['rm', 'ppo'].includes(stage as string) && ['full', 'freeze'].includes(ft as string));
  return isV0(ctx.doc) && commandOf(ctx.doc) === 'train' && truthy(ctx.doc, 'do_train') && !isSet(ctx.doc, 'resume_from_checkpoint') && !truthy(ctx.doc, 'overwrite_output_dir') && resumable;
}

const overwrite = setFix('overwrite_output_dir', true, 'output_dir');

export const outputDirRule: Rule = {
  codes: ['output-dir-not-empty', 'output-dir-resumes'],
  covers: ['R174', 'R175'],
  check(ctx) {
    const entry = ctx.doc.byKey.get('output_dir');
    if (!entry || !watchesOutputDir(ctx)) return [];
    const dir = findFolder(ctx, 'output_dir');
    if (!dir) return [];
    const checkpoint = lastCheckpoint(ctx, dir.path);
    if (checkpoint) {
      return [makeDiagnostic(entry.valueRange, INFO, 'output-dir-resumes',
        t('`{0}` already holds `{1}`: LLaMA-Factory will resume from it instead of starting over. Set `overwrite_output_dir: true` to start fresh.', dir.path, checkpoint))];
    }
    const files = new Set(ctx.host.listDir(dir.path));
    const weights = WEIGHT_FILES.filter((f) => files.has(f));
    if (weights.length === 0) return [];
    return [makeDiagnostic(entry.valueRange, ERROR, 'output-dir-not-empty',
      t('`{0}` already holds trained weights ({1}) and no checkpoint to resume from; LLaMA-Factory refuses to write over them. Choose another output_dir or set `overwrite_output_dir: true`.', dir.path, weights.join(', ')))];
  },
  fixes(ctx, diagnostic): Fix[] {
    if (diagnostic.code !== 'output-dir-not-empty' && diagnostic.code !== 'output-dir-resumes') return [];
    return [{ title: t('Set `overwrite_output_dir: true`'), edits: overwrite.edits(ctx.doc), isPreferred: true }];
  },
};

export const tokenizedPathRule: Rule = {
  codes: ['tokenized-path-reused', 'tokenized-path-streaming'],
  covers: ['R225'],
  check(ctx) {
    const entry = ctx.doc.byKey.get('tokenized_path');
    if (!entry || !isV0(ctx.doc) || !isSet(ctx.doc, 'tokenized_path') || commandOf(ctx.doc) !== 'train') return [];
    const dir = findFolder(ctx, 'tokenized_path');
    const hasData = dir !== undefined && ctx.host.listDir(dir.path).length > 0;
    const out: Diagnostic[] = [];
    if (hasData) {
      out.push(makeDiagnostic(entry.valueRange, WARNING, 'tokenized-path-reused',
        t('`{0}` already holds a tokenized dataset: LLaMA-Factory loads it and ignores dataset, template, cutoff_len and the other data options. Delete the folder to re-tokenize.', dir.path)));
    } else if (truthy(ctx.doc, 'streaming')) {
      const d = makeDiagnostic(entry.keyRange, ERROR, 'tokenized-path-streaming',
        t('A streamed dataset cannot be saved to `tokenized_path`; turn off `streaming` for the tokenizing run.'));
      const s = ctx.doc.byKey.get('streaming');
      if (s) d.relatedInformation = [{ location: { uri: ctx.doc.uri, range: s.keyRange }, message: t('`streaming` is set here.') }];
      out.push(d);
    }
    return out;
  },
};
