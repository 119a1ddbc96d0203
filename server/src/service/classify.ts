// Decides whether a YAML file is a LLaMA-Factory config, so that every other
// YAML file in the workspace stays silent. Order: a directive comment on the
// first line, then the content.
import type { ConfigDocument } from './document';
import type { ConfigKind } from './types';

/**
 * First-line directive: `# llamafactory: v0`, `# llamafactory: v1` or
 * `# llamafactory: off` (never check this file).
 */
export const DIRECTIVE = /^\s*#\s*llamafactory\s*:\s*(v0|v1|off)\b/i;

const V0_MARKERS = ['stage', 'finetuning_type', 'template', 'do_train', 'do_predict', 'do_eval', 'dataset', 'export_dir', 'infer_backend', 'adapter_name_or_path'];
const V1_MARKERS = ['model_class', 'peft_config', 'kernel_config', 'dist_config', 'train_dataset', 'micro_batch_size', 'quant_config', 'init_config', 'global_batch_size'];

/** Reads the first-line directive, if any. */
export function directiveKind(text: string): ConfigKind | undefined {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  const m = DIRECTIVE.exec(firstLine);
  if (!m) return undefined;
  const v = m[1].toLowerCase();
  return v === 'v0' ? 'llamafactory-v0' : v === 'v1' ? 'llamafactory-v1' : 'other';
}

export function classify(text: string, doc: ConfigDocument | undefined): ConfigKind {
  const directed = directiveKind(text);
  if (directed) return directed;
  if (!doc) return 'other';
  const has = (k: string) => doc.byKey.has(k);
  if (has('model') && V1_MARKERS.some(has)) return 'llamafactory-v1';
  if (has('model_name_or_path') && V0_MARKERS.some(has)) return 'llamafactory-v0';
  return 'other';
}
