// The `key=value` words after the config on the command line, merged into the
// config as LLaMA-Factory does (hparams/parser.py read_args):
//   OmegaConf.merge(OmegaConf.load(cfg), OmegaConf.from_cli(sys.argv[2:]))
// from_cli splits each word at its first `=`, loads the value with OmegaConf's
// YAML loader (so `1e-5` is a float, `true` a bool, `[a,b]` a list) and sets
// the dotted key, replacing a scalar on the way with a mapping; a word without
// `=` becomes a key whose value is None. merge then replaces scalars and lists
// and merges mappings.
import type { Range } from 'vscode-languageserver-types';
import { parseConfig } from '../../document';
import type { ConfigDocument, ConfigEntry } from '../../document';

export interface Override {
  /** The word as written, for messages. */
  text: string;
  /** Dotted key as OmegaConf splits it. */
  path: string[];
  value: unknown;
  /** The value was a quoted YAML scalar (`key="'true'"` is the string "true"). */
  quoted: boolean;
  /** The word has no `=` or starts with `-`: OmegaConf makes a key of it that LLaMA-Factory rejects. */
  malformed: boolean;
}

/** OmegaConf's typing of one override value, through the same reader as the config. */
function loadValue(raw: string): { value: unknown; quoted: boolean } {
  const doc = parseConfig('', `v: ${raw}`, {}, 'yaml');
  const entry = doc.byKey.get('v');
  if (!entry || doc.problems.length > 0 || doc.byKey.size !== 1) return { value: raw, quoted: false };
  return { value: entry.value, quoted: entry.quoted };
}

export function parseOverride(word: string): Override {
  const at = word.indexOf('=');
  const key = at < 0 ? word : word.slice(0, at);
  const malformed = at < 0 || key.startsWith('-') || key === '';
  const { value, quoted } = at < 0 ? { value: null, quoted: false } : loadValue(word.slice(at + 1));
  return { text: word, path: key.split('.'), value, quoted, malformed };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** OmegaConf.merge of `over` into `base`: mappings merge key by key, anything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** The value of a top-level key after one dotted override below it. */
function setPath(current: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return merge(current, value);
  const node = isMapping(current) ? { ...current } : {};
  node[path[0]] = setPath(node[path[0]], path.slice(1), value);
  return node;
}

/**
 * The document LLaMA-Factory sees with `overrides` applied: each overridden
 * top-level key becomes one entry whose ranges are `at` (the launch source),
 * so a problem in an override is reported there. The text is unchanged, so
 * edits and comments still refer to the file.
 */
export function withOverrides(doc: ConfigDocument, overrides: readonly Override[], at: Range): ConfigDocument {
  const usable = overrides.filter((o) => !o.malformed);
  if (usable.length === 0) return doc;
  const values = new Map<string, { value: unknown; quoted: boolean }>();
  for (const o of usable) {
    const top = o.path[0];
    const before = values.has(top) ? values.get(top)!.value : doc.byKey.get(top)?.value;
    values.set(top, { value: setPath(before, o.path.slice(1), o.value), quoted: o.path.length === 1 && o.quoted });
  }
  const entryFor = (key: string): ConfigEntry => ({ key, keyRange: at, valueRange: at, value: values.get(key)!.value, quoted: values.get(key)!.quoted, node: undefined });
  const entries: ConfigEntry[] = [];
  const placed = new Set<string>();
  for (const e of doc.entries) {
    if (!values.has(e.key)) entries.push(e);
    else if (!placed.has(e.key)) {
      placed.add(e.key);
      entries.push(entryFor(e.key));
    }
  }
  for (const key of values.keys()) if (!placed.has(key)) entries.push(entryFor(key));
  const byKey = new Map<string, ConfigEntry>();
  for (const e of entries) if (!byKey.has(e.key)) byKey.set(e.key, e);
  return { ...doc, entries, byKey };
}
