// Finds the architecture behind `model_name_or_path`: a local folder, the
// Hugging Face or ModelScope cache, the built-in catalog, or last the size in
// the name. Every file access goes through the injected host.
import * as path from 'node:path';
import { readJson, resolveFromFolder } from '../files';
import { memoize } from '../memo';
import type { ServiceHost } from '../types';
import catalog from '../facts/models.json';
import { type Architecture, architectureFromConfig, genericArchitecture } from './architecture';
import { countParams } from './params';
import { t } from '../l10n';

export interface ResolvedModel {
  source: 'local' | 'cache' | 'hub' | 'catalog' | 'name';
  id: string;
  arch: Architecture;
  paramsB: number;
  /** True when the architecture is a generic stand-in sized from the name. */
  approximate: boolean;
  /** Where the architecture came from, for hovers and reports. */
  detail: string;
  /** The dtype the checkpoint was saved in (`torch_dtype` / `dtype` of its config.json), when a config.json was read. */
  dtype?: string;
}


type CatalogEntry = Record<string, unknown> & { id: string; aliases?: string[]; quantized?: string[] };

const join = (dir: string, ...parts: string[]): string => path.join(dir, ...parts);

const architectures = new WeakMap<object, Architecture | undefined>();

/** The architecture in a folder's config.json; undefined (try the next source) when it is missing or unreadable. */
function readConfig(host: ServiceHost, dir: string): Architecture | undefined {
  // readJson hands back the same object while the file is unchanged, so the architecture is built once.
  const json = readJson(host, join(dir, 'config.json'));
  if (json === null || typeof json !== 'object') return undefined;
  if (!architectures.has(json)) architectures.set(json, architectureFromConfig(json as Record<string, unknown>));
  return architectures.get(json);
}

function resolved(source: ResolvedModel['source'], id: string, arch: Architecture, detail: string, json?: unknown): ResolvedModel {
  const dtype = dtypeOf(json);
  return { source, id, arch, paramsB: countParams(arch).total / 1e9, approximate: false, detail, ...(dtype ? { dtype } : {}) };
}

/** `torch_dtype` (newer transformers write `dtype`) of a config.json. */
function dtypeOf(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const c = json as Record<string, unknown>;
  const v = c['torch_dtype'] ?? c['dtype'];
  return typeof v === 'string' ? v : undefined;
}

function fromLocalFolder(name: string, configDir: string, host: ServiceHost): ResolvedModel | undefined {
  let arch: Architecture | undefined;
  const found = resolveFromFolder(name, configDir, host, (dir) => host.isDirectory(dir) && (arch = readConfig(host, dir)) !== undefined);
  return found && arch ? resolved('local', name, arch, t('config.json in {0}', found.path), readJson(host, join(found.path, 'config.json'))) : undefined;
}

/** The Hugging Face hub cache folders, in the order huggingface_hub looks. */
export function hfCacheRoots(host: ServiceHost): string[] {
  const roots: string[] = [];
  const hubCache = host.env('HF_HUB_CACHE') ?? host.env('HUGGINGFACE_HUB_CACHE');
  if (hubCache) roots.push(hubCache);
  const hfHome = host.env('HF_HOME');
  if (hfHome) roots.push(join(hfHome, 'hub'));
  roots.push(join(host.homeDir(), '.cache', 'huggingface', 'hub'));
  return roots;
}

function modelScopeRoots(host: ServiceHost): string[] {
  const roots: string[] = [];
  const cache = host.env('MODELSCOPE_CACHE');
  if (cache) roots.push(join(cache, 'hub'), cache);
  roots.push(join(host.homeDir(), '.cache', 'modelscope', 'hub'));
  return roots;
}

function fromCaches(name: string, host: ServiceHost): ResolvedModel | undefined {
  const parts = name.split('/');
  if (parts.length !== 2 || parts.some((p) => !p || p === '.' || p === '..')) return undefined;
  for (const root of hfCacheRoots(host)) {
    const snapshots = join(root, `models--${parts[0]}--${parts[1]}`, 'snapshots');
    for (const snap of host.listDir(snapshots)) {
      const arch = readConfig(host, join(snapshots, snap));
      if (arch) return resolved('cache', name, arch, t('Hugging Face cache {0}', join(snapshots, snap)), readJson(host, join(snapshots, snap, 'config.json')));
    }
  }
  for (const root of modelScopeRoots(host)) {
    for (const dir of [join(root, parts[0], parts[1]), join(root, 'models', parts[0], parts[1])]) {
      const arch = readConfig(host, dir);
      if (arch) return resolved('cache', name, arch, t('ModelScope cache {0}', dir), readJson(host, join(dir, 'config.json')));
    }
  }
  return undefined;
}

/** A config.json the host fetched from the Hub (only when the user turned Hub lookups on). */
function fromHub(name: string, host: ServiceHost): ResolvedModel | undefined {
  if (!/^[\w.-]+\/[\w.-]+$/.test(name)) return undefined;
  const text = host.hubConfig?.(name);
  if (text === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    const arch = architectureFromConfig(json as Record<string, unknown>);
    return arch ? resolved('hub', name, arch, `config.json from the Hugging Face Hub (${name})`, json) : undefined;
  } catch {
    return undefined;
  }
}

let catalogIndex: Map<string, CatalogEntry> | undefined;

/** Lower-cased ids, aliases and quantized variants, with and without the org part. */
function index(): Map<string, CatalogEntry> {
  if (catalogIndex) return catalogIndex;
  const full = new Map<string, CatalogEntry>();
  const short = new Map<string, CatalogEntry>();
  for (const entry of catalog.models as CatalogEntry[]) {
    for (const name of [entry.id, ...(entry.aliases ?? []), ...(entry.quantized ?? [])]) {
      const key = name.toLowerCase();
      if (!full.has(key)) full.set(key, entry);
      const bare = key.slice(key.lastIndexOf('/') + 1);
      if (!short.has(bare)) short.set(bare, entry);
    }
  }
  for (const [k, v] of short) if (!full.has(k)) full.set(k, v);
  catalogIndex = full;
  return full;
}

/** The catalog entry for a name: by id or alias, else by the longest name prefix. */
const catalogEntry = memoize((name: string): { entry: CatalogEntry; exact: boolean } | undefined => {
  const key = name.trim().replace(/[\\/]+$/, '').toLowerCase();
  const bare = key.slice(Math.max(key.lastIndexOf('/'), key.lastIndexOf('\\')) + 1);
  const exact = index().get(key) ?? index().get(bare);
  const entry = exact ?? longestPrefix(bare);
  return entry && { entry, exact: exact !== undefined };
});

function fromCatalog(name: string): ResolvedModel | undefined {
  const found = catalogEntry(name);
  if (!found) return undefined;
  const { entry, exact } = found;
  const arch = catalogArchitecture(entry);
  if (!arch) return undefined;
  const detail = exact ? t('built-in catalog ({0})', entry.id) : t('built-in catalog, closest entry {0} (by name prefix)', entry.id);
  return resolved('catalog', entry.id, arch, detail);
}

const catalogArchitectures = new Map<CatalogEntry, Architecture | undefined>();

/** Catalog entries are fixed, so each is turned into an architecture once. */
function catalogArchitecture(entry: CatalogEntry): Architecture | undefined {
  if (!catalogArchitectures.has(entry)) catalogArchitectures.set(entry, architectureFromConfig(entry));
  return catalogArchitectures.get(entry);
}

/**
 * A variant of a catalog model (`DeepSeek-V3-0324-BF16`, a local `.../Qwen2.5-7B-Instruct-sft`
 * folder without its files) shares the architecture of the longest catalog name
 * it starts with, when that name ends at a separator.
 */
function longestPrefix(bare: string): CatalogEntry | undefined {
  let best: [string, CatalogEntry] | undefined;
  for (const [k, entry] of index()) {
    if (k.includes('/') || k.length < 4 || !bare.startsWith(k) || !/^[-_.]/.test(bare.slice(k.length))) continue;
    if (!best || k.length > best[0].length) best = [k, entry];
  }
  return best?.[1];
}

/** The size written in a name: "-7B", "1.5b", "8x7B" (experts x size), "A3B" is skipped. */
export function sizeFromName(name: string): number | undefined {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const moe = /(?:^|[-_.])(\d+)x(\d+(?:\.\d+)?)b(?![a-z])/i.exec(base);
  // Mixtral-style names: shared attention makes the total ~0.8 x experts x size.
  if (moe) return Number(moe[1]) * Number(moe[2]) * 0.8;
  const re = /(?:^|[-_.])(\d+(?:\.\d+)?)([bm])(?![a-z])/gi;
  for (let m = re.exec(base); m; m = re.exec(base)) {
    const before = base[m.index];
    if (before === 'A' || before === 'a') continue;
    const value = Number(m[1]) / (m[2].toLowerCase() === 'm' ? 1000 : 1);
    if (value > 0) return value;
  }
  return undefined;
}

const genericOfSize = memoize(genericArchitecture);

function fromName(name: string): ResolvedModel | undefined {
  const size = sizeFromName(name);
  if (size === undefined) return undefined;
  const arch = genericOfSize(size);
  return {
    source: 'name',
    id: name,
    arch,
    paramsB: size,
    approximate: true,
    detail: t('size {0}B read from the name; generic Llama-like architecture', size),
  };
}

/**
 * Resolves a model in the documented order: local folder with config.json
 * (relative to the config's folder, its parents, then the host's search roots),
 * the Hugging Face and ModelScope caches, the Hub (only when the host fetches), the catalog, the size in the name.
 */
export function resolveModel(
  modelNameOrPath: string,
  configDir: string,
  host: ServiceHost,
): ResolvedModel | undefined {
  const name = modelNameOrPath.trim();
  if (!name) return undefined;
  return fromLocalFolder(name, configDir, host) ?? fromCaches(name, host) ?? fromHub(name, host) ?? fromCatalog(name) ?? fromName(name);
}
