// Where a position falls in a config: on a top-level key, on its value, or
// between entries. Shared by hover, completion and links.
import type { Position } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../document';

export type Spot =
  | { at: 'key'; entry: ConfigEntry }
  | { at: 'value'; entry: ConfigEntry }
  | { at: 'none' };

function inside(doc: ConfigDocument, r: { start: Position; end: Position }, p: Position): boolean {
  const o = doc.offsetAt(p);
  return doc.offsetAt(r.start) <= o && o <= doc.offsetAt(r.end);
}

export function spotAt(doc: ConfigDocument, p: Position): Spot {
  for (const entry of doc.entries) {
    if (inside(doc, entry.keyRange, p)) return { at: 'key', entry };
    if (entry.pair.value != null && inside(doc, entry.valueRange, p)) return { at: 'value', entry };
  }
  return { at: 'none' };
}

/** The text of the line up to the position. */
export function linePrefix(doc: ConfigDocument, p: Position): string {
  const start = doc.offsetAt({ line: p.line, character: 0 });
  return doc.text.slice(start, doc.offsetAt(p));
}
