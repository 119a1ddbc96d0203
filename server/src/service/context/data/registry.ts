// Where each dataset named in `dataset` / `eval_dataset` comes from, resolved
// the way LLaMA-Factory's data/parser.py (get_dataset_list) reads
// `<dataset_dir>/dataset_info.json`: the hub URLs win over a script, a script
// over a cloud file, and a local `file_name` (file or folder under dataset_dir) last.
import * as path from 'node:path';
import { findDatasetInfo, readJson } from '../../files';
import type { ResolvedFile } from '../../files';
import type { ServiceHost } from '../../types';

/** LLaMA-Factory's FILEEXT2TYPE (extras/constants.py): file extension → the `datasets` loader. */
export const FILE_TYPES: Readonly<Record<string, DataFormat>> = { arrow: 'arrow', csv: 'csv', json: 'json', jsonl: 'json', parquet: 'parquet', txt: 'text' };
export type DataFormat = 'arrow' | 'csv' | 'json' | 'parquet' | 'text';

/** The column roles of DatasetAttr and their defaults when an entry has no `columns` (data/parser.py). */
const ALPACA_DEFAULTS = { prompt: 'instruction', query: 'input', response: 'output' } as const;
const SHAREGPT_DEFAULTS = { messages: 'conversations' } as const;
const COMMON_COLUMNS = ['system', 'tools', 'images', 'videos', 'audios', 'chosen', 'rejected', 'kto_tag'] as const;
const ALPACA_COLUMNS = ['prompt', 'query', 'response', 'history'] as const;
export const TAG_DEFAULTS = {
  role_tag: 'from',
  content_tag: 'value',
  user_tag: 'human',
  assistant_tag: 'gpt',
  observation_tag: 'observation',
  function_tag: 'function_call',
  system_tag: undefined,
} as const;
export type TagName = keyof typeof TAG_DEFAULTS;

/** The keys a dataset_info.json entry may have, with the JSON type each takes (data/parser.py). */
export const ENTRY_FIELDS: Readonly<Record<string, 'string' | 'boolean' | 'number' | 'object'>> = {
  hf_hub_url: 'string', ms_hub_url: 'string', om_hub_url: 'string', script_url: 'string', cloud_file_name: 'string', file_name: 'string',
  formatting: 'string', ranking: 'boolean', subset: 'string', split: 'string', folder: 'string', num_samples: 'number',
  columns: 'object', tags: 'object',
};
export const TAG_NAMES: readonly string[] = Object.keys(TAG_DEFAULTS);
/** The converters of data/converter.py (DATASET_CONVERTERS; `openai` is in LLaMA-Factory's main branch). */
export const FORMATTINGS: readonly string[] = ['alpaca', 'sharegpt', 'openai'];
/** The fields that make get_dataset_list load an entry from elsewhere than a local file, in the order it tries them. */
export const REMOTE_FIELDS = ['hf_hub_url', 'ms_hub_url', 'om_hub_url', 'script_url', 'cloud_file_name'] as const;

/** The column roles a formatting's converter reads (the alpaca converter, or the message-list ones: sharegpt, openai). */
export function columnRoles(formatting: DatasetAttr['formatting']): readonly string[] {
  return formatting === 'alpaca' ? [...ALPACA_COLUMNS, ...COMMON_COLUMNS] : ['messages', ...COMMON_COLUMNS];
}

export interface DatasetAttr {
  formatting: 'alpaca' | 'sharegpt' | 'openai';
  ranking: boolean;
  /** Column role → the column name it reads; only the roles LLaMA-Factory will read (set, not None). */
  columns: Record<string, string>;
  /** The sharegpt tags in effect (undefined = None). */
  tags: Record<TagName, string | undefined>;
  numSamples: number | undefined;
}

export type DatasetSource =
  | { kind: 'file'; relative: string; path: string; exists: boolean; folder: boolean }
  | { kind: 'hub'; hub: 'hf' | 'ms' | 'om'; id: string }
  | { kind: 'script'; url: string }
  | { kind: 'cloud'; url: string };

export interface ResolvedDataset {
  name: string;
  attr: DatasetAttr;
  source: DatasetSource;
  /** The dataset_info.json the entry came from, and the 0-based line of its name there. */
  info: { path: string; line: number };
}

export interface DataRegistry {
  infoPath: string;
  /** The folder holding dataset_info.json: dataset_dir as LLaMA-Factory resolves it. */
  dir: string;
  entries: Record<string, unknown>;
  text: string;
  /** How the file was found (the config's folder, a parent, a workspace root, the LLaMA-Factory checkout). */
  via: ResolvedFile['via'];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The dataset_info.json under `datasetDir`, found like every launch-relative path, else in the
 * LLaMA-Factory `checkout` in use; undefined when absent or not an object.
 */
export function findRegistry(datasetDir: string, configPath: string, host: ServiceHost, checkout?: string): DataRegistry | undefined {
  const found = findDatasetInfo(datasetDir, configPath, host, checkout);
  if (!found) return undefined;
  const entries = readJson(host, found.path);
  const text = host.readFile(found.path);
  if (!isObject(entries) || text === undefined) return undefined;
  return { infoPath: found.path, dir: path.dirname(found.path), entries, text, via: found.via };
}

/** DatasetAttr as data/parser.py fills it from one entry: listing `columns` or `tags` sets every unlisted role to None. */
export function datasetAttr(entry: Record<string, unknown>): DatasetAttr {
  const formatting = entry.formatting === 'sharegpt' || entry.formatting === 'openai' ? entry.formatting : 'alpaca';
  const listed = isObject(entry.columns) ? entry.columns : undefined;
  const columns: Record<string, string> = {};
  const roles = columnRoles(formatting);
  const defaults: Record<string, string> = formatting === 'alpaca' ? ALPACA_DEFAULTS : SHAREGPT_DEFAULTS;
  for (const role of roles) {
    const value = listed ? listed[role] : defaults[role];
    if (typeof value === 'string' && value !== '') columns[role] = value;
  }
  const tags = { ...TAG_DEFAULTS } as Record<TagName, string | undefined>;
  if (formatting !== 'alpaca' && isObject(entry.tags)) {
    const given = entry.tags;
    for (const tag of TAG_NAMES as TagName[]) tags[tag] = typeof given[tag] === 'string' ? (given[tag] as string) : undefined;
  }
  return { formatting, ranking: entry.ranking === true, columns, tags, numSamples: typeof entry.num_samples === 'number' ? entry.num_samples : undefined };
}

/** The 0-based line of `"name":` as a top-level key of the registry text (0 when not found). */
export function entryLine(text: string, name: string): number {
  const quoted = JSON.stringify(name);
  let at = text.indexOf(`${quoted}:`);
  if (at < 0) at = text.search(new RegExp(`${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`));
  if (at < 0) return 0;
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Where LLaMA-Factory would load `name` from; undefined when the registry has no such entry. */
export function resolveDataset(name: string, registry: DataRegistry, host: ServiceHost): ResolvedDataset | undefined {
  const entry = registry.entries[name];
  if (!isObject(entry)) return undefined;
  const info = { path: registry.infoPath, line: entryLine(registry.text, name) };
  return { name, attr: datasetAttr(entry), source: sourceOf(entry, registry.dir, host), info };
}

function sourceOf(entry: Record<string, unknown>, dir: string, host: ServiceHost): DatasetSource {
  const str = (k: string) => (typeof entry[k] === 'string' && entry[k] !== '' ? (entry[k] as string) : undefined);
  const hf = str('hf_hub_url');
  const ms = str('ms_hub_url');
  const om = str('om_hub_url');
  // USE_MODELSCOPE_HUB / USE_OPENMIND_HUB pick ms / om first; without them the HF URL wins.
  if (hf) return { kind: 'hub', hub: 'hf', id: hf };
  if (ms) return { kind: 'hub', hub: 'ms', id: ms };
  if (om) return { kind: 'hub', hub: 'om', id: om };
  const script = str('script_url');
  if (script) return { kind: 'script', url: script };
  const cloud = str('cloud_file_name');
  if (cloud) return { kind: 'cloud', url: cloud };
  const relative = str('file_name') ?? '';
  const p = path.resolve(dir, relative);
  const folder = relative !== '' && host.isDirectory(p);
  return { kind: 'file', relative, path: p, folder, exists: folder || (relative !== '' && fileExists(host, p)) };
}

/** Whether a file exists, by its metadata where the host can tell (reading a large data file whole to find out would be wasteful). */
export function fileExists(host: ServiceHost, p: string): boolean {
  return host.stat ? host.stat(p) !== undefined : host.readFile(p) !== undefined;
}

/** The loader a file's extension selects, or undefined for an extension LLaMA-Factory refuses. */
export function formatOf(file: string): DataFormat | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  return FILE_TYPES[ext];
}
