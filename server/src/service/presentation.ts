// What the VS Code client shows without asking the server: the GPU catalog for
// the pickers, the suggested models of "New Config", the estimator's labels
// and the message language. The client imports only this module and the
// protocol, so its bundle stays free of the analysis code.
import { gpuCatalog } from './hardware/catalog';
import type { GpuFacts } from './hardware/types';

export { SUGGESTED_MODELS, NEW_CONFIG_METHODS } from './features/new-config-choices';
export type { NewConfigMethod } from './features/new-config-choices';
export { memoryLabel } from './memory/labels';
export { setLocale, t } from './l10n';

export type GpuChoice = Pick<GpuFacts, 'id' | 'name' | 'vendor' | 'architecture' | 'memoryGiB'>;

/** Every GPU of the catalog, grouped by vendor in catalog order. */
export function gpuChoices(): GpuChoice[] {
  return gpuCatalog.map(({ id, name, vendor, architecture, memoryGiB }) => ({ id, name, vendor, architecture, memoryGiB }));
}
