// Reading v1 plugin blocks (`peft_config:`, `dist_config:` ...): LLaMA-Factory
// accepts a mapping or a JSON object string, and reads `name` to pick the plugin.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import { argValue, asMapping, parsePythonJson } from '../values';

/** The block under `key` as a mapping (a JSON string parsed), or undefined when unset or unreadable. */
export function pluginBlock(doc: ConfigDocument, key: string): Record<string, unknown> | undefined {
  const value = argValue(doc, key);
  if (typeof value === 'string' && value.trim().startsWith('{')) return asMapping(parsePythonJson(value)?.value);
  return asMapping(value);
}

/** The block's `name` when it is a string. */
export function pluginName(doc: ConfigDocument, key: string): string | undefined {
  const name = pluginBlock(doc, key)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Where `key.sub` is written: the sub-key inside a mapping block, else the top-level key. */
export function subKeyRange(doc: ConfigDocument, key: string, sub: string): Range | undefined {
  const entry = doc.byKey.get(key);
  if (!entry) return undefined;
  const map = entry.node;
  const item = isMap(map) ? map.items.find((i) => String((i.key as { value?: unknown } | null)?.value) === sub) : undefined;
  const range = (item?.key as Node | null | undefined)?.range;
  return range ? { start: doc.positionAt(range[0]), end: doc.positionAt(range[1]) } : entry.keyRange;
}
