// Resolves the relative paths a config names (deepspeed JSON, dataset_dir, ...).
// LLaMA-Factory resolves them against the folder it is launched from, usually
// the root of a checkout a few folders above the config, so the config's own
// folder and each folder above it are tried first, then the host's roots.
import * as path from 'node:path';
import type { ServiceHost } from './types';
import { t } from './l10n';

export interface ResolvedFile {
  /** Absolute path that exists. */
  path: string;
  /** The folder the relative path was resolved against. */
  base: string;
  /** How that folder was found, for messages ("the config's folder", "a parent folder", "workspace root", the LLaMA-Factory checkout in use). */
  via: 'absolute' | 'config folder' | 'parent folder' | 'search root' | 'checkout';
}

/** How a file was found, in words, for messages and tooltips. */
export function viaText(via: ResolvedFile['via']): string {
  const words: Record<ResolvedFile['via'], string> = {
    absolute: t('absolute path'),
    'config folder': t('config folder'),
    'parent folder': t('parent folder'),
    'search root': t('search root'),
    checkout: t('LLaMA-Factory checkout'),
  };
  return words[via];
}

/** The folders a relative path is tried against, in order, with how each was found. */
export function candidateBases(configPath: string, host: ServiceHost): { base: string; via: ResolvedFile['via'] }[] {
  return basesFrom(path.dirname(path.resolve(configPath)), host);
}

function basesFrom(startDir: string, host: ServiceHost): { base: string; via: ResolvedFile['via'] }[] {
  const out: { base: string; via: ResolvedFile['via'] }[] = [];
  const seen = new Set<string>();
  const add = (base: string, via: ResolvedFile['via']) => {
    const b = path.resolve(base);
    if (!seen.has(b)) {
      seen.add(b);
      out.push({ base: b, via });
    }
  };
  let dir = path.resolve(startDir);
  add(dir, 'config folder');
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    add(dir, 'parent folder');
  }
  for (const r of host.searchRoots()) add(r, 'search root');
  return out;
}

/**
 * Finds `relative` the way a user launching from a checkout root would.
 * `exists` decides what counts as found (a file for deepspeed:, a folder for dataset_dir).
 */
export function resolveReference(
  relative: string,
  configPath: string,
  host: ServiceHost,
  exists: (p: string) => boolean = (p) => host.readFile(p) !== undefined,
): ResolvedFile | undefined {
  return resolveFromFolder(relative, path.dirname(path.resolve(configPath)), host, exists);
}

/** `resolveReference` for a caller that knows the config's folder rather than its path. */
export function resolveFromFolder(
  relative: string,
  configDir: string,
  host: ServiceHost,
  exists: (p: string) => boolean = (p) => host.readFile(p) !== undefined,
): ResolvedFile | undefined {
  if (relative.trim() === '') return undefined;
  if (path.isAbsolute(relative)) return exists(relative) ? { path: relative, base: path.dirname(relative), via: 'absolute' } : undefined;
  for (const { base, via } of basesFrom(configDir, host)) {
    const p = path.join(base, relative);
    if (exists(p)) return { path: p, base, via };
  }
  return undefined;
}

/**
 * `<dataset_dir>/dataset_info.json` as a launch reads it: resolved like every
 * launch-relative path, and when none of those folders has it, from the
 * LLaMA-Factory checkout in use (a checkout user launches from the checkout,
 * and the default dataset_dir `data` is that checkout's data/; hparams/data_args.py).
 */
export function findDatasetInfo(datasetDir: string, configPath: string, host: ServiceHost, checkout?: string): ResolvedFile | undefined {
  const relative = path.join(datasetDir, 'dataset_info.json');
  const found = resolveReference(relative, configPath, host);
  if (found || !checkout || path.isAbsolute(datasetDir)) return found;
  const inCheckout = path.join(checkout, relative);
  return host.readFile(inCheckout) !== undefined ? { path: inCheckout, base: checkout, via: 'checkout' } : undefined;
}

const parsedJson = new Map<string, { text: string; value: unknown }>();

/**
 * Reads and parses a JSON file through the host; undefined when missing or
 * malformed. The parse is reused while the file's text stays the same (a
 * dataset_info.json can be large and is read on every analysis).
 */
export function readJson(host: ServiceHost, p: string): unknown {
  const text = host.readFile(p);
  if (text === undefined) return undefined;
  const hit = parsedJson.get(p);
  if (hit && hit.text === text) return hit.value;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (parsedJson.size > 256) parsedJson.clear();
  parsedJson.set(p, { text, value });
  return value;
}
