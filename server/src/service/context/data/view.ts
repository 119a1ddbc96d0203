// The datasets one config trains on, as one plain view that rules, hovers and
// the estimate share: each name resolved through dataset_info.json, its local
// files with their background scans (when done), sample counts and token lengths.
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../../document';
import { resolveFromFolder } from '../../files';
import { hfCacheRoots } from '../../models/resolve';
import type { ServiceHost, ServiceSettings } from '../../types';
import { argValue, commandOf, isV0, names } from '../../values';
import { lengthStats } from './lengths';
import type { LengthStats } from './lengths';
import { fileExists, findRegistry, formatOf, resolveDataset } from './registry';
import type { DataFormat, DataRegistry, ResolvedDataset } from './registry';
import type { DataScanner, FileScan } from './scan';

export interface DataInput {
  doc: ConfigDocument;
  configPath: string;
  host: ServiceHost;
  settings: ServiceSettings;
  /** Background scans of data files; without it only names and files are resolved. */
  data?: DataScanner;
  /** The LLaMA-Factory in use: its checkout's data/ is where a registry is looked for last. */
  release?: { checkout?: string };
}

export interface DataFile {
  path: string;
  format: DataFormat | undefined;
  scan: FileScan | undefined;
}

export interface DatasetView {
  key: 'dataset' | 'eval_dataset';
  name: string;
  /** Where the name is written in the config. */
  range: Range;
  resolved: ResolvedDataset | undefined;
  /** The local files LLaMA-Factory loads for it (a folder's files, or the one file). */
  files: DataFile[];
  /** True while a file of it is still being scanned. */
  pending: boolean;
  /** Samples: summed over its files; undefined when unknown (hub, pending, unreadable). */
  count: number | undefined;
  exact: boolean;
}

export interface DataView {
  registry: DataRegistry | undefined;
  datasets: DatasetView[];
  /** The tokenizer.json lengths are counted with, when the model has one on disk. */
  tokenizer: string | undefined;
  /** Token lengths over every scanned training dataset, against cutoff_len. */
  lengths: (LengthStats & { sorted: number[]; counter: 'tokenizer' | 'chars'; cutoff: number }) | undefined;
}

/** Default for `llamafactory.datasets.maxScanMB`: files larger than this are read this far and their counts estimated. */
export const DEFAULT_SCAN_MB = 64;
/** Default for `llamafactory.datasets.truncationWarningPercent`: cutoff_len may cut this share of the samples before a warning. */
export const DEFAULT_TRUNCATION_WARN_PERCENT = 10;
/** Files of a folder dataset that are scanned; the rest are only counted as files. */
const MAX_FOLDER_FILES = 64;
const KEYS = ['dataset', 'eval_dataset'] as const;
const SPECIAL_DIRS = ['ONLINE'];

const views = new WeakMap<object, DataView>();

/** The data view of a config (cached per analysis context). */
export function dataView(input: DataInput): DataView {
  let view = views.get(input);
  if (!view) views.set(input, (view = buildView(input)));
  return view;
}

function buildView(input: DataInput): DataView {
  const empty: DataView = { registry: undefined, datasets: [], tokenizer: undefined, lengths: undefined };
  const { doc } = input;
  if (!isV0(doc) || commandOf(doc) !== 'train') return empty;
  const dir = argValue(doc, 'dataset_dir');
  if (typeof dir !== 'string' || SPECIAL_DIRS.includes(dir) || dir.startsWith('REMOTE:')) return empty;
  const registry = findRegistry(dir, input.configPath, input.host, input.release?.checkout);
  if (!registry) return empty;
  const tokenizer = findTokenizer(input);
  const mediaDirValue = argValue(doc, 'media_dir');
  const mediaDir = typeof mediaDirValue === 'string' && mediaDirValue !== ''
    ? (resolveFromFolder(mediaDirValue, path.dirname(path.resolve(input.configPath)), input.host, (p) => input.host.isDirectory(p))?.path ?? path.resolve(registry.dir, '..', mediaDirValue))
    : registry.dir;
  const scanner = input.host.stat && input.host.readBytes ? input.data : undefined;
  // Only data under dataset_dir or a workspace folder is read, never a path a config points anywhere else.
  const readable = [registry.dir, ...input.host.searchRoots()];
  const limitBytes = Math.max(1, input.settings.datasetScanMB ?? DEFAULT_SCAN_MB) * 1024 * 1024;
  const datasets: DatasetView[] = [];
  for (const key of KEYS) {
    const entry = doc.byKey.get(key);
    if (!entry) continue;
    for (const name of names(entry.value)) {
      const resolved = resolveDataset(name, registry, input.host);
      const files = resolved ? localFiles(resolved, input.host).filter((f) => within(f.path, readable)) : [];
      for (const f of files) {
        if (!resolved || !scanner || !f.format) continue;
        f.scan = scanner.peek({ path: f.path, format: f.format, attr: resolved.attr, mediaDir, tokenizer, limitBytes });
      }
      const scanned = files.filter((f) => f.scan);
      const pending = scanner !== undefined && files.some((f) => f.format && !f.scan);
      const counts = scanned.map((f) => f.scan!.count);
      const known = !pending && files.length > 0 && counts.length === files.length && counts.every((c) => c !== undefined);
      datasets.push({
        key,
        name,
        range: nameRange(doc, entry, name),
        resolved,
        files,
        pending,
        count: known ? counts.reduce((s, c) => s! + c!, 0) : undefined,
        exact: known && scanned.every((f) => f.scan!.exact),
      });
    }
  }
  return { registry, datasets, tokenizer, lengths: combinedLengths(datasets, doc) };
}

function within(file: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

function localFiles(d: ResolvedDataset, host: ServiceHost): DataFile[] {
  if (d.source.kind !== 'file' || !d.source.exists) return [];
  const file = (p: string): DataFile => ({ path: p, format: formatOf(p), scan: undefined });
  if (!d.source.folder) return [file(d.source.path)];
  const dir = d.source.path;
  return host.listDir(dir).filter((n) => !n.startsWith('.')).sort().slice(0, MAX_FOLDER_FILES).map((n) => file(path.join(dir, n))).filter((f) => fileExists(host, f.path));
}

function combinedLengths(datasets: DatasetView[], doc: ConfigDocument): DataView['lengths'] {
  const scans = datasets.filter((d) => d.key === 'dataset').flatMap((d) => d.files.map((f) => f.scan)).filter((s): s is FileScan => s !== undefined && s.lengths.length > 0);
  if (scans.length === 0) return undefined;
  const sorted = scans.flatMap((s) => s.lengths).sort((a, b) => a - b);
  const cutoff = Number(argValue(doc, 'cutoff_len')) || 2048;
  const stats = lengthStats(sorted, Math.max(...scans.map((s) => s.maxTokens)), cutoff);
  return { ...stats, sorted, cutoff, counter: scans.every((s) => s.counter.kind === 'tokenizer') ? 'tokenizer' : 'chars' };
}

/** The range of one comma-separated name inside a one-line value; the whole value otherwise. */
function nameRange(doc: ConfigDocument, entry: ConfigEntry, name: string): Range {
  const r = entry.valueRange;
  if (r.start.line !== r.end.line) return r;
  const line = doc.text.split('\n', r.start.line + 1)[r.start.line] ?? '';
  const at = line.slice(0, r.end.character).indexOf(name, r.start.character);
  if (at < 0) return r;
  return { start: { line: r.start.line, character: at }, end: { line: r.start.line, character: at + name.length } };
}

/** tokenizer.json of the model: in its local folder, else in a Hugging Face cache snapshot. */
function findTokenizer(input: DataInput): string | undefined {
  const model = argValue(input.doc, 'model_name_or_path');
  if (typeof model !== 'string' || model === '') return undefined;
  const { host } = input;
  const local = resolveFromFolder(model, path.dirname(path.resolve(input.configPath)), host, (dir) => host.isDirectory(dir) && fileExists(host, path.join(dir, 'tokenizer.json')));
  if (local) return path.join(local.path, 'tokenizer.json');
  const parts = model.split('/');
  if (parts.length !== 2 || parts.some((p) => !p || p === '.' || p === '..')) return undefined;
  for (const root of hfCacheRoots(host)) {
    const snapshots = path.join(root, `models--${parts[0]}--${parts[1]}`, 'snapshots');
    for (const snap of host.listDir(snapshots)) {
      const file = path.join(snapshots, snap, 'tokenizer.json');
      if (fileExists(host, file)) return file;
    }
  }
  return undefined;
}

/** Samples the training datasets hold after max_samples caps each one (data/loader.py); undefined until every count is known. */
export function trainSamples(doc: ConfigDocument, view: DataView): { count: number; exact: boolean } | undefined {
  const train = view.datasets.filter((d) => d.key === 'dataset');
  if (train.length === 0 || train.some((d) => d.count === undefined)) return undefined;
  const max = argValue(doc, 'max_samples');
  const cap = typeof max === 'number' && max > 0 ? max : Infinity;
  return { count: train.reduce((s, d) => s + Math.min(d.count!, cap), 0), exact: train.every((d) => d.exact || d.count! >= cap) };
}
