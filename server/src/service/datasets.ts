// Dataset names a config can use: those in `<dataset_dir>/dataset_info.json`
// when one is found (resolved like every referenced path), else the built-in list.
import * as path from 'node:path';
import { readJson, resolveReference } from './files';
import lists from './facts/lists.json';
import type { ServiceHost } from './types';

export interface DatasetCatalog {
  names: string[];
  /** The dataset_info.json used, or undefined for the built-in list. */
  source: string | undefined;
  entries: Record<string, unknown>;
}

export const builtinDatasetNames: readonly string[] = lists.datasets.map((d) => d.name);

export function datasetCatalog(datasetDir: unknown, configPath: string, host: ServiceHost): DatasetCatalog {
  const dir = typeof datasetDir === 'string' && datasetDir.trim() !== '' ? datasetDir : 'data';
  const found = resolveReference(path.join(dir, 'dataset_info.json'), configPath, host);
  const info = found ? readJson(host, found.path) : undefined;
  if (found && info && typeof info === 'object' && !Array.isArray(info)) {
    const entries = info as Record<string, unknown>;
    return { names: Object.keys(entries), source: found.path, entries };
  }
  return { names: [...builtinDatasetNames], source: undefined, entries: {} };
}
