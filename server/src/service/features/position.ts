// Where a position falls in a config: on a top-level key, on its value (or on
// a key / value one level down in a mapping value, such as a v1 plugin block),
// or between entries. Shared by hover, completion and links.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import type { Position, Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../document';

/** A key inside a top-level entry's mapping value. */
export interface SubEntry {
  key: string;
  keyRange: Range;
  valueRange: Range;
  value: unknown;
}

export type Spot =
  | { at: 'key' | 'value'; entry: ConfigEntry; sub?: SubEntry }
  | { at: 'none' };

function inside(doc: ConfigDocument, r: { start: Position; end: Position }, p: Position): boolean {
  const o = doc.offsetAt(p);
  return doc.offsetAt(r.start) <= o && o <= doc.offsetAt(r.end);
}

export function spotAt(doc: ConfigDocument, p: Position): Spot {
  for (const entry of doc.entries) {
    if (inside(doc, entry.keyRange, p)) return { at: 'key', entry };
    if (inside(doc, entry.valueRange, p)) return subSpot(doc, entry, p) ?? { at: 'value', entry };
  }
  return { at: 'none' };
}

function subSpot(doc: ConfigDocument, entry: ConfigEntry, p: Position): Spot | undefined {
  const map = entry.node;
  if (!isMap(map)) return undefined;
  const rangeOf = (n: Node | null, fallback: number): Range => {
    const [s, e] = n?.range ?? [fallback, fallback];
    return { start: doc.positionAt(s), end: doc.positionAt(e) };
  };
  const values = (entry.value ?? {}) as Record<string, unknown>;
  for (const item of map.items) {
    const keyNode = item.key as Node | null;
    const keyRange = rangeOf(keyNode, 0);
    const key = String((keyNode as { value?: unknown } | null)?.value);
    const sub: SubEntry = { key, keyRange, valueRange: rangeOf(item.value as Node | null, doc.offsetAt(keyRange.end)), value: values[key] };
    if (inside(doc, keyRange, p)) return { at: 'key', entry, sub };
    if (item.value != null && inside(doc, sub.valueRange, p)) return { at: 'value', entry, sub };
  }
  return undefined;
}

/** The top-level key whose block an indented line belongs to (the nearest unindented `key:` above). */
export function enclosingKey(doc: ConfigDocument, line: number): string | undefined {
  const lines = doc.text.split(/\r?\n/);
  for (let l = Math.min(line, lines.length) - 1; l >= 0; l--) {
    const m = /^([A-Za-z_][\w.-]*)\s*:/.exec(lines[l]);
    if (m) return m[1];
    if (/^\S/.test(lines[l]) && !lines[l].startsWith('#')) return undefined;
  }
  return undefined;
}

/** The text of the line up to the position. */
export function linePrefix(doc: ConfigDocument, p: Position): string {
  const start = doc.offsetAt({ line: p.line, character: 0 });
  return doc.text.slice(start, doc.offsetAt(p));
}
