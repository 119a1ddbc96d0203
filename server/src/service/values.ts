// Reading config values the way LLaMA-Factory's Python code sees them: a key
// absent from the YAML takes its dataclass default (from the schema of the
// user's release, the one place defaults live), truthiness follows Python (OmegaConf keeps
// `bf16: "false"` a string, which Python treats as true), and comparisons only
// happen on values Python could compare (anything else is a type error the
// schema check already reports, so rules stay silent on it). Every rule reads
// values through here.
import type { ConfigDocument } from './document';
import { keySchema, v0Schema, v1Schema } from './schema/schema';
import type { ConfigSchema } from './schema/schema';
import type { ConfigKind } from './types';

const mainSchema = (kind: ConfigKind): ConfigSchema => (kind === 'llamafactory-v1' ? v1Schema : v0Schema);

/** The release schema of a document made by `asReleaseReads`; a document without one reads main's defaults. */
const releaseSchema = new WeakMap<ConfigDocument, ConfigSchema>();
const releaseViews = new WeakMap<ConfigDocument, WeakMap<ConfigSchema, ConfigDocument>>();

/**
 * The document as one LLaMA-Factory release reads it: a key it does not set takes
 * that release's default (`cutoff_len` was 1024 before 0.9.1). One view per
 * document and schema, so per-document caches keep working across analyses.
 */
export function asReleaseReads(doc: ConfigDocument, schema: ConfigSchema | undefined): ConfigDocument {
  if (!schema || schema === mainSchema(doc.kind)) return doc;
  let views = releaseViews.get(doc);
  if (!views) releaseViews.set(doc, (views = new WeakMap()));
  let view = views.get(schema);
  if (!view) {
    views.set(schema, (view = { ...doc }));
    releaseSchema.set(view, schema);
  }
  return view;
}

/**
 * The default LLaMA-Factory uses for `key` when the YAML does not set it (undefined for unknown keys):
 * the document's release default, or main's for a bare kind.
 */
export function defaultOf(key: string, of: ConfigKind | ConfigDocument = 'llamafactory-v0'): unknown {
  const schema = typeof of === 'string' ? mainSchema(of) : releaseSchema.get(of) ?? mainSchema(of.kind);
  return keySchema(key, schema)?.default;
}

const changedDefaults = new WeakMap<ConfigSchema, [string, unknown][]>();

/** The keys main has whose default in the document's release differs from main's, with that release's default (for readers of main's defaults: the estimator). */
export function releaseDefaults(doc: ConfigDocument): readonly [string, unknown][] {
  const schema = releaseSchema.get(doc);
  if (!schema) return [];
  let found = changedDefaults.get(schema);
  if (!found) {
    const main = mainSchema(schema.kind);
    found = Object.entries(schema.properties)
      .filter(([key, s]) => keySchema(key, main) && 'default' in s && JSON.stringify(s.default) !== JSON.stringify(keySchema(key, main)?.default))
      .map(([key, s]) => [key, s.default]);
    changedDefaults.set(schema, found);
  }
  return found;
}

/** True when the YAML writes `key` (whatever the value, null included). */
export function has(doc: ConfigDocument, key: string): boolean {
  return doc.byKey.has(key);
}

/** The value LLaMA-Factory receives for `key`: the YAML value, else the default. */
export function argValue(doc: ConfigDocument, key: string): unknown {
  const entry = doc.byKey.get(key);
  return entry ? entry.value : defaultOf(key, doc);
}

/** Python's `is not None` on the effective value. */
export function isSet(doc: ConfigDocument, key: string): boolean {
  const v = argValue(doc, key);
  return v !== null && v !== undefined;
}

/** Python truthiness: None, False, 0, "" and empty containers are false; NaN is true. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Python truthiness of the effective value of `key`. */
export function truthy(doc: ConfigDocument, key: string): boolean {
  return pyTruthy(argValue(doc, key));
}

/** A training run (the precision flags only matter there). */
export function isTraining(doc: ConfigDocument): boolean {
  return truthy(doc, 'do_train');
}

/** A value Python compares as a number (bool is an int there), else undefined. */
export function pyNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** The effective value of `key` as a number, or undefined when it is not one. */
export function numberArg(doc: ConfigDocument, key: string): number | undefined {
  return pyNumber(argValue(doc, key));
}

/** The effective value of `key` when it is a string, else undefined. */
export function stringArg(doc: ConfigDocument, key: string): string | undefined {
  const v = argValue(doc, key);
  return typeof v === 'string' ? v : undefined;
}

/** Python `==` between a config value and a string constant (only a str equals a str). */
export function argIs(doc: ConfigDocument, key: string, expected: string): boolean {
  return argValue(doc, key) === expected;
}

/**
 * LLaMA-Factory's `split_arg`: a string is split on commas and each item
 * stripped; a list passes through; anything else is returned as undefined.
 */
export function splitArg(value: unknown): unknown[] | undefined {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim());
  if (Array.isArray(value)) return value;
  return undefined;
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const PY_DECIMAL = new RegExp(String.raw`^[-+]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][-+]?${DIGITS})?$`);
const PY_SPECIAL = /^([-+]?)(inf|infinity|nan)$/i;

/** Python's `float(x)` for a value from the YAML; undefined where Python raises. */
export function pyFloat(value: unknown): number | undefined {
  const n = pyNumber(value);
  if (n !== undefined) return n;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (PY_DECIMAL.test(s)) return Number(s.replace(/_/g, ''));
  const special = PY_SPECIAL.exec(s);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** Python's `str(x).lower()` for a scalar read from a JSON or YAML mapping. */
export function pyStrLower(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  return String(value).toLowerCase();
}

/**
 * Python's `json.loads` verdict on a string: the parsed value, or undefined when
 * it raises. Python also accepts the bare NaN / Infinity / -Infinity tokens.
 */
export function parsePythonJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    try {
      return { value: JSON.parse(text.replace(/(?<!")-?\b(?:Infinity|NaN)\b(?!")/g, '0')) };
    } catch {
      return undefined;
    }
  }
}

/** A plain object (a YAML/JSON mapping), else undefined. */
export function asMapping(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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

const commands = new WeakMap<ConfigDocument, Command>();

/** The command the config is for, judged from its keys (asked by most rules, so worked out once per document). */
export function commandOf(doc: ConfigDocument): Command {
  let command = commands.get(doc);
  if (command === undefined) commands.set(doc, (command = judgeCommand(doc)));
  return command;
}

function judgeCommand(doc: ConfigDocument): Command {
  const has = (k: string) => doc.byKey.has(k);
  if (has('export_dir')) return 'export';
  if (TRAIN_MARKERS.some(has)) return 'train';
  if (EVAL_MARKERS.some(has)) return 'eval';
  // A bare `stage` means training, unless a serving backend says the config is for chat.
  const backend = argValue(doc, 'infer_backend');
  return has('stage') && backend === 'huggingface' ? 'train' : 'chat';
}

/** `stage` as LLaMA-Factory sees it (default "sft"). */
export function stageOf(doc: ConfigDocument): unknown {
  return argValue(doc, 'stage');
}
