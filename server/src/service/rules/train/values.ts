// How LLaMA-Factory sees a config value: the YAML value when the key is
// written, otherwise the argument's default, tested with Python truthiness.
import type { ConfigDocument } from '../../document';
import defaults from '../../facts/defaults.json';

const DEFAULTS: Readonly<Record<string, unknown>> = defaults;

/** Python's `bool(value)`: None, False, 0, "" and empty containers are false; the string "false" is true. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** The value LLaMA-Factory receives for `key`: the YAML's, else the argument default. */
export function effective(doc: ConfigDocument, key: string): unknown {
  const entry = doc.byKey.get(key);
  return entry ? entry.value : DEFAULTS[key];
}

/** True when `key` is truthy as LLaMA-Factory sees it (written or by default). */
export function on(doc: ConfigDocument, key: string): boolean {
  return truthy(effective(doc, key));
}

/** Python `is not None` on the effective value. */
export function isSet(doc: ConfigDocument, key: string): boolean {
  const v = effective(doc, key);
  return v !== null && v !== undefined;
}

/** A comma-separated argument (`dataset`, `adapter_name_or_path`) split and trimmed; a YAML list is taken item by item. */
export function names(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map((v) => (v === null || v === undefined ? '' : String(v))) : typeof value === 'string' ? value.split(',') : [];
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/** The `llamafactory-cli` command a config is written for, judged from its keys. */
export type Command = 'train' | 'export' | 'chat' | 'eval';

const TRAIN_MARKERS = ['do_train', 'do_eval', 'do_predict', 'dataset', 'eval_dataset', 'output_dir'];
const EVAL_MARKERS = ['task', 'n_shot', 'save_dir'];

/** These rules describe the v0 format; v1 configs (USE_V1=1) and other YAML are left alone. */
export function isV0(doc: ConfigDocument): boolean {
  return doc.kind === 'llamafactory-v0';
}

export function commandOf(doc: ConfigDocument): Command {
  const has = (k: string) => doc.byKey.has(k);
  if (has('export_dir')) return 'export';
  if (TRAIN_MARKERS.some(has)) return 'train';
  if (EVAL_MARKERS.some(has)) return 'eval';
  // A bare `stage` means training, unless a serving backend says the config is for chat.
  const backend = effective(doc, 'infer_backend');
  return has('stage') && backend === 'huggingface' ? 'train' : 'chat';
}

/** `stage` as LLaMA-Factory sees it (default "sft"). */
export function stageOf(doc: ConfigDocument): unknown {
  return effective(doc, 'stage');
}
