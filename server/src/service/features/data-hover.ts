// Hovers about the data a config trains on: what a dataset name resolves to
// (file, hub, script), its sample count and token lengths; and, at
// num_train_epochs, the optimizer steps the run will take.
import * as path from 'node:path';
import type { Position, Range } from 'vscode-languageserver-types';
import type { AnalysisContext } from '../context';
import { dataView, trainSamples } from '../context/data/view';
import type { DatasetView, DataView } from '../context/data/view';
import { hubCard } from '../context/data/hub-card';
import { percentile } from '../context/data/lengths';
import { viaText } from '../files';
import { argValue } from '../values';
import { t } from '../l10n';

function inside(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

function countText(d: DatasetView): string {
  if (d.pending) return t('being scanned');
  if (d.count === undefined) return t('unknown');
  return d.exact ? t('{0} samples (exact)', d.count) : t('about {0} samples (estimated from the part read)', d.count);
}

function sourceText(d: DatasetView): string {
  const s = d.resolved!.source;
  switch (s.kind) {
    case 'hub': return t('{0} Hub dataset `{1}`: not downloaded here, LLaMA-Factory fetches it at launch; only local files are checked.', s.hub === 'hf' ? 'Hugging Face' : s.hub === 'ms' ? 'ModelScope' : 'Modelers', s.id);
    case 'script': return t('loading script `{0}`: not run here.', s.url);
    case 'cloud': return t('cloud file `{0}`: not read here.', s.url);
    default: return s.exists ? t('local {0} `{1}`', s.folder ? t('folder') : t('file'), s.path) : t('local file `{0}`, which does not exist', s.path);
  }
}

function lengthsText(d: DatasetView, cutoff: number): string | undefined {
  const scans = d.files.map((f) => f.scan).filter((s) => s !== undefined && s.lengths.length > 0);
  if (scans.length === 0) return undefined;
  const sorted = scans.flatMap((s) => s!.lengths).sort((a, b) => a - b);
  const max = Math.max(...scans.map((s) => s!.maxTokens));
  const how = scans.every((s) => s!.counter.kind === 'tokenizer')
    ? t("counted with the model's tokenizer ({0})", scans[0]!.counter.source)
    : t('approximated from characters (no tokenizer.json of the model on disk)');
  const cut = sorted.filter((x) => x > cutoff).length / sorted.length;
  return t('Tokens per sample, with rough chat-template wrappers: p50 {0}, p95 {1}, max {2}; {3}% longer than cutoff_len {4}. {5}; {6} samples measured.',
    percentile(sorted, 50), percentile(sorted, 95), max, Math.round(cut * 100), cutoff, how, sorted.length);
}

/** What the Hub's card says of a Hugging Face dataset, when Hub lookups fetched it. */
function hubCardText(ctx: AnalysisContext, d: DatasetView): string | undefined {
  const s = d.resolved!.source;
  const card = s.kind === 'hub' && s.hub === 'hf' ? hubCard(ctx.host, s.id) : undefined;
  if (!card) return undefined;
  const facts = [
    card.sizeCategory ? t('size {0} rows', card.sizeCategory) : undefined,
    card.license ? t('licence {0}', card.license) : undefined,
    card.downloads !== undefined ? t('{0} downloads', card.downloads.toLocaleString('en-US')) : undefined,
    card.gated ? t('gated (accept its terms on the Hub first)') : undefined,
  ].filter((x): x is string => x !== undefined);
  const head = t('Hub card{0}: {1}', card.prettyName ? ` "${card.prettyName}"` : '', facts.join(', ') || t('no size or licence given'));
  return card.description ? `${head}. ${card.description}` : `${head}.`;
}

/** The hover of one dataset name written in `dataset` / `eval_dataset` at `p`. */
export function datasetHoverMarkdown(ctx: AnalysisContext, p: Position): string | undefined {
  const view = dataView(ctx);
  const d = view.datasets.find((x) => x.resolved && inside(x.range, p));
  if (!d || !view.registry) return undefined;
  const attr = d.resolved!.attr;
  const cutoff = Number(argValue(ctx.doc, 'cutoff_len')) || 2048;
  const lines = [
    t('**dataset `{0}`** — {1} format{2}, from `{3}`.', d.name, attr.formatting, attr.ranking ? t(', preference pairs (ranking)') : '', path.basename(view.registry.infoPath)),
    '',
    `- ${sourceText(d)}`,
    `- ${t('Entry read from `{0}` (found from the {1}).', view.registry.infoPath, viaText(view.registry.via))}`,
  ];
  const card = hubCardText(ctx, d);
  if (card) lines.push(`- ${card}`);
  if (d.files.length > 0) lines.push(`- ${t('Samples: {0}.', countText(d))}`);
  const lengths = lengthsText(d, cutoff);
  if (lengths) lines.push(`- ${lengths}`);
  return lines.join('\n');
}

/** Samples in the training split: the datasets after max_samples, less the val_size share (data_utils.split_dataset). */
function trainSplit(ctx: AnalysisContext, view: DataView): { count: number; exact: boolean } | undefined {
  const samples = trainSamples(ctx.doc, view);
  if (!samples) return undefined;
  let count = samples.count;
  const val = argValue(ctx.doc, 'val_size');
  if (typeof val === 'number' && val > 1e-6 && !ctx.doc.byKey.has('eval_dataset')) count -= val > 1 ? Math.floor(val) : Math.ceil(count * val);
  return { count: Math.max(0, count), exact: samples.exact };
}

/** At num_train_epochs / max_steps: the optimizer steps, from the samples and the effective batch across GPUs. */
export function stepsHoverMarkdown(ctx: AnalysisContext): string | undefined {
  const maxSteps = Number(argValue(ctx.doc, 'max_steps'));
  if (argValue(ctx.doc, 'streaming') === true) {
    return maxSteps > 0 ? t('Streaming: the run takes max_steps = {0} optimizer steps.', maxSteps) : t('Streaming datasets have no length: LLaMA-Factory needs max_steps.');
  }
  const split = trainSplit(ctx, dataView(ctx));
  if (!split) return undefined;
  const batch = Number(argValue(ctx.doc, 'per_device_train_batch_size')) || 8;
  const accum = Number(argValue(ctx.doc, 'gradient_accumulation_steps')) || 1;
  const gpus = Math.max(1, ctx.target?.count ?? ctx.settings.gpuCount);
  const epochs = Number(argValue(ctx.doc, 'num_train_epochs')) || 3;
  // transformers' Trainer: each process gets ceil(n / gpus) samples, ceil(that / batch) micro-batches, one step per `accum` of them.
  const microBatches = Math.ceil(Math.ceil(split.count / gpus) / batch);
  const perEpoch = Math.max(1, Math.ceil(microBatches / accum));
  const total = maxSteps > 0 ? maxSteps : Math.ceil(perEpoch * epochs);
  return t('**Optimizer steps: {0}** ({1} per epoch) — {2} training samples ({3}) ÷ effective batch {4} (per_device_train_batch_size {5} × gradient_accumulation_steps {6} × {7} GPU(s)){8}.',
    total, perEpoch, split.count, split.exact ? t('exact') : t('estimated'), batch * accum * gpus, batch, accum, gpus,
    maxSteps > 0 ? t('; max_steps {0} overrides the epochs', maxSteps) : t(' × {0} epochs', epochs));
}
