// Dataset names a config can use: those in `<dataset_dir>/dataset_info.json`
// when one is found (resolved like every referenced path, else in the
// LLaMA-Factory checkout in use), else the built-in list.
import { findDatasetInfo, readJson } from './files';
import lists from './facts/lists.json';
import type { ServiceHost } from './types';

export interface DatasetCatalog {
  names: string[];
  /** The dataset_info.json used, or undefined for the built-in list. */
  source: string | undefined;
  entries: Record<string, unknown>;
}

export const builtinDatasetNames: readonly string[] = lists.datasets.map((d) => d.name);

/** `checkout`: the LLaMA-Factory checkout in use, whose data/ is the last place looked in. */
export function datasetCatalog(datasetDir: unknown, configPath: string, host: ServiceHost, checkout?: string): DatasetCatalog {
  const dir = typeof datasetDir === 'string' && datasetDir.trim() !== '' ? datasetDir : 'data';
  const found = findDatasetInfo(dir, configPath, host, checkout);
  const info = found ? readJson(host, found.path) : undefined;
  if (found && info && typeof info === 'object' && !Array.isArray(info)) {
    const entries = info as Record<string, unknown>;
    return { names: Object.keys(entries), source: found.path, entries };
  }
  return { names: [...builtinDatasetNames], source: undefined, entries: {} };
}
