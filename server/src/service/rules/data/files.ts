// The local data behind each dataset name: the file or folder its
// dataset_info.json entry names, the columns and tags the entry maps, the
// samples LLaMA-Factory's converters would drop, the media files samples
// name, the val_size split, and how much cutoff_len truncates. Reported at
// the name in the config, with related locations in the data file and in
// dataset_info.json. File contents come from background scans (context/data):
// until a file's scan is done, only what needs no reading is checked.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { AnalysisContext } from '../../context';
import type { Occurrence, DropReason } from '../../context/data/inspect';
import { dataView, DEFAULT_TRUNCATION_WARN_PERCENT, trainSamples } from '../../context/data/view';
import type { DatasetView, DataView } from '../../context/data/view';
import type { FileScan } from '../../context/data/scan';
import { FILE_TYPES } from '../../context/data/registry';
import { defineRule, ERROR, WARNING } from '../rule';
import type { Finding } from '../rule';
import { argValue } from '../../values';
import { t } from '../../l10n';

const MEDIA_ROLES = ['images', 'videos', 'audios'] as const;

const fileUri = (p: string) => pathToFileURL(p).toString();
const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });

function related(d: DatasetView, file?: FileScan, occurrence?: Occurrence): DiagnosticRelatedInformation[] {
  const out: DiagnosticRelatedInformation[] = [];
  if (file && occurrence) out.push({ location: { uri: fileUri(file.path), range: at(Math.max(0, occurrence.line)) }, message: t('First such record (#{0}).', occurrence.record + 1) });
  if (d.resolved) out.push({ location: { uri: fileUri(d.resolved.info.path), range: at(d.resolved.info.line) }, message: t('The entry of `{0}` in dataset_info.json.', d.name) });
  return out;
}

function diag(d: DatasetView, severity: typeof ERROR | typeof WARNING, code: string, message: string, elsewhere: DiagnosticRelatedInformation[]): Finding {
  return { code, severity, at: d.range, message, elsewhere, data: { name: d.name } };
}

/** Problems found without reading the data: the file or folder, its type, the ranking columns. */
function entryFindings(d: DatasetView, populated: boolean): Finding[] {
  const r = d.resolved;
  if (!r) return [];
  const out: Finding[] = [];
  if (r.attr.ranking && (!r.attr.columns.chosen || !r.attr.columns.rejected)) {
    out.push(diag(d, ERROR, 'dataset-ranking-columns', t('Dataset `{0}` is a ranking dataset, but its entry maps no `chosen` and `rejected` columns: LLaMA-Factory would drop every sample ("Cannot find valid samples").', d.name), related(d)));
  }
  if (r.source.kind !== 'file') return out;
  if (!r.source.exists) {
    // A dataset folder holding nothing but dataset_info.json has not been filled yet (the registry is often
    // copied before the data is downloaded or generated): every file would be missing, so none is flagged.
    if (!populated) return out;
    const message = r.source.relative === ''
      ? t('Dataset `{0}` has no `file_name`, hub URL, `script_url` or `cloud_file_name` in dataset_info.json.', d.name)
      : t('Dataset `{0}`: `{1}` does not exist (LLaMA-Factory stops with "File {1} not found").', d.name, r.source.path);
    return [...out, diag(d, ERROR, 'dataset-file-missing', message, related(d))];
  }
  const types = new Set(d.files.map((f) => f.format ?? path.extname(f.path)));
  const allowed = Object.keys(FILE_TYPES).join(', ');
  if (r.source.folder && d.files.length === 0) {
    out.push(diag(d, ERROR, 'dataset-file-type', t('Dataset `{0}`: the folder `{1}` holds no data files.', d.name, r.source.path), related(d)));
  } else if (r.source.folder && types.size > 1) {
    out.push(diag(d, ERROR, 'dataset-file-type', t('Dataset `{0}`: the folder `{1}` mixes file types ({2}); LLaMA-Factory needs them identical.', d.name, r.source.path, [...types].join(', ')), related(d)));
  } else {
    const bad = d.files.find((f) => !f.format);
    if (bad) out.push(diag(d, ERROR, 'dataset-file-type', t('Dataset `{0}`: `{1}` is not a file type LLaMA-Factory loads ({2}).', d.name, bad.path, allowed), related(d)));
  }
  return out;
}

function readProblemText(detail: string): string {
  const [kind, ...rest] = detail.split(':');
  const more = rest.join(':');
  switch (kind) {
    case 'malformed': return t('malformed JSON ({0})', more);
    case 'too-large': return t('a record longer than {0} characters (not checked)', more);
    case 'binary': return t('binary content where text is expected');
    case 'not-array': return t('a .json file must hold an array of records or JSON Lines');
    default: return t('the file cannot be read ({0})', more);
  }
}

const DROP_TEXT: Record<DropReason, () => string> = {
  'role-order': () => t('roles do not alternate user/assistant as sharegpt requires'),
  'message-count': () => t('the number of turns does not end on the answer'),
  'no-response': () => t('the response is not text'),
  'ranking-shape': () => t('chosen/rejected missing or of the wrong type'),
  'kto-tag': () => t('kto_tag is not true/false'),
  'not-object': () => t('a record is not an object'),
};

/** Problems in one scanned file. */
function fileFindings(d: DatasetView, file: FileScan, mediaDir: string): Finding[] {
  const out: Finding[] = [];
  const attr = d.resolved!.attr;
  const ins = file.inspection;
  const name = path.basename(file.path);
  for (const p of ins.readProblems) {
    const line = p.line + 1;
    out.push(diag(d, ERROR, 'dataset-file-unreadable', t('Dataset `{0}`: `{1}` line {2}: {3}; {4} such problem(s). LLaMA-Factory fails to load the file.', d.name, name, line, readProblemText(p.detail), p.count), related(d, file, p)));
  }
  if (ins.readProblems.length > 0 && ins.records === 0) return out;
  if (ins.records === 0) return [...out, diag(d, ERROR, 'dataset-empty', t('Dataset `{0}`: `{1}` holds no samples.', d.name, name), related(d))];
  const first: Occurrence = { count: 1, line: ins.firstLine, record: 0, detail: '' };
  for (const [role, column] of Object.entries(attr.columns)) {
    if (ins.columns.includes(column)) continue;
    out.push(diag(d, ERROR, 'dataset-column-missing', t("Dataset `{0}`: column `{1}` (its `{2}`) is in no record of `{3}`; LLaMA-Factory fails with KeyError: '{1}'. Columns found: {4}.", d.name, column, role, name, ins.columns.slice(0, 12).join(', ') || '—'), related(d, file, first)));
  }
  const reasons = Object.entries(ins.dropped) as [DropReason, Occurrence][];
  if (reasons.length > 0) {
    const [reason, o] = reasons.sort((a, b) => b[1].count - a[1].count)[0];
    const all = ins.droppedTotal >= ins.records;
    const message = all
      ? t('Dataset `{0}`: none of the {1} samples read from `{2}` is usable ({3}, line {4}); LLaMA-Factory stops with "Cannot find valid samples".', d.name, ins.records, name, DROP_TEXT[reason](), o.line + 1)
      : t('Dataset `{0}`: LLaMA-Factory would drop {1} of {2} samples read from `{3}` ({4}; first at line {5}).', d.name, ins.droppedTotal, ins.records, name, DROP_TEXT[reason](), o.line + 1);
    out.push(diag(d, all ? ERROR : WARNING, all ? 'dataset-no-valid-samples' : 'dataset-samples-dropped', message, related(d, file, o)));
  }
  const missing = ins.media.missing;
  if (missing && MEDIA_ROLES.some((r) => attr.columns[r])) {
    out.push(diag(d, ERROR, 'dataset-media-missing', t('Dataset `{0}`: {1} of {2} media files named in `{3}` are not under media_dir `{4}` (first: `{5}`, line {6}).', d.name, missing.count, ins.media.checked, name, mediaDir, missing.detail, missing.line + 1), related(d, file, missing)));
  }
  return out;
}

function mediaDirOf(ctx: AnalysisContext, view: DataView): string {
  const v = argValue(ctx.doc, 'media_dir');
  return typeof v === 'string' && v !== '' ? v : view.registry ? view.registry.dir : '';
}

/** An integer val_size is a sample count; `datasets`' train_test_split refuses one at or above the data's size. */
function valSizeFinding(ctx: AnalysisContext, view: DataView): Finding[] {
  const entry = ctx.doc.byKey.get('val_size');
  const v = entry?.value;
  if (!entry || typeof v !== 'number' || v <= 1 || argValue(ctx.doc, 'streaming') === true) return [];
  const samples = trainSamples(ctx.doc, view);
  if (!samples || Math.floor(v) < samples.count) return [];
  return [{ code: 'dataset-val-size', severity: ERROR, at: 'val_size', onValue: true, message: t('val_size {0} takes at least every one of the {1} training samples ({2}); the split fails. Use a fraction such as 0.1 or a smaller count.', v, samples.count, samples.exact ? t('exact') : t('estimated')) }];
}

function truncationFinding(ctx: AnalysisContext, view: DataView): Finding[] {
  const l = view.lengths;
  if (!l || l.truncatedShare * 100 <= (ctx.settings.truncationWarnPercent ?? DEFAULT_TRUNCATION_WARN_PERCENT)) return [];
  const cutoff = Number(argValue(ctx.doc, 'cutoff_len')) || 2048;
  const how = l.counter === 'tokenizer' ? t("the model's tokenizer") : t('an estimate from characters');
  return [{ code: 'dataset-truncated', severity: WARNING, at: ['cutoff_len', 'dataset'], onValue: true,
    message: t('cutoff_len {0} cuts {1}% of the training samples (p95 {2}, longest {3} tokens by {4}); their ends are lost in training.', cutoff, Math.round(l.truncatedShare * 100), l.p95, l.max, how) }];
}

function findings(ctx: AnalysisContext): Finding[] {
  const view = dataView(ctx);
  if (!view.registry) return [];
  const mediaDir = mediaDirOf(ctx, view);
  const populated = ctx.host.listDir(view.registry.dir).some((n) => n !== 'dataset_info.json' && !n.startsWith('.'));
  const out: Finding[] = [];
  for (const d of view.datasets) {
    out.push(...entryFindings(d, populated));
    for (const f of d.files) if (f.scan) out.push(...fileFindings(d, f.scan, mediaDir));
  }
  out.push(...valSizeFinding(ctx, view), ...truncationFinding(ctx, view));
  return out;
}

export const datasetFilesRule = defineRule({
  appliesTo: { commands: ['train'] },
  codes: ['dataset-file-missing', 'dataset-file-type', 'dataset-file-unreadable', 'dataset-empty', 'dataset-column-missing', 'dataset-ranking-columns',
    'dataset-samples-dropped', 'dataset-no-valid-samples', 'dataset-media-missing', 'dataset-val-size', 'dataset-truncated'],
  covers: ['R224', 'R226'],
  check: findings,
});
