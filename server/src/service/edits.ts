// Comment-preserving edits. Every quick-fix is expressed through these: each
// replaces only the bytes of one node (or one whole line for insert/remove),
// using the ranges of the parsed YAML document, so comments, blank lines, key
// order and the rest of the file stay byte-identical.
import type { TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from './document';
import { lineBreakOf } from './document';

/** YAML text for a scalar value, quoted only when a plain scalar would change meaning. */
export function formatScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (value === '' || /^[\s]|[\s]$|^[-?:,[\]{}#&*!|>'"%@`]|: | #/.test(value) || plainWouldRetype(value)) {
    return JSON.stringify(value);
  }
  return value;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  // Keep the conventional `1.0e-4` spelling readable; plain `1e-4` also loads as a float.
  return s.includes('e') && !s.includes('.') ? s.replace('e', '.0e') : s;
}

function plainWouldRetype(s: string): boolean {
  return /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s) || /^[-+]?[0-9._]/.test(s) || /^\.(?:inf|nan)/i.test(s);
}

function lineStart(doc: ConfigDocument, offset: number): number {
  return doc.offsetAt({ line: doc.positionAt(offset).line, character: 0 });
}

function entryOffsets(doc: ConfigDocument, entry: ConfigEntry): { keyStart: number; valueStart: number; valueEnd: number } {
  return { keyStart: doc.offsetAt(entry.keyRange.start), valueStart: doc.offsetAt(entry.valueRange.start), valueEnd: doc.offsetAt(entry.valueRange.end) };
}

/** Replaces the value of `key` (first occurrence), keeping a trailing comment. */
export function setValue(doc: ConfigDocument, key: string, value: string | number | boolean | null): TextEdit | undefined {
  const entry = doc.byKey.get(key);
  if (!entry) return undefined;
  const text = formatScalar(value);
  const { valueStart, valueEnd } = entryOffsets(doc, entry);
  if (valueStart === valueEnd) {
    // `key:` with nothing after it (perhaps a comment): write right after the colon, before any comment.
    const colon = doc.text.indexOf(':', doc.offsetAt(entry.keyRange.end));
    const at = colon < 0 ? doc.offsetAt(entry.keyRange.end) : colon + 1;
    return { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, newText: ` ${text}` };
  }
  return { range: entry.valueRange, newText: text };
}

/** Removes every line of the `key` entry (key, value and its own trailing comment). */
export function removeKey(doc: ConfigDocument, key: string): TextEdit | undefined {
  const entry = doc.byKey.get(key);
  if (!entry) return undefined;
  return removeEntry(doc, entry);
}

export function removeEntry(doc: ConfigDocument, entry: ConfigEntry): TextEdit {
  const { keyStart, valueEnd } = entryOffsets(doc, entry);
  const start = lineStart(doc, keyStart);
  const endLine = doc.positionAt(Math.max(valueEnd - 1, keyStart)).line;
  const end = doc.offsetAt({ line: endLine + 1, character: 0 });
  return { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, newText: '' };
}

type Scalar = string | number | boolean | null;

/**
 * Inserts `key: value` on its own line after the entry `after` (or at the end of
 * the file), with the indentation of the top-level keys.
 */
export function insertKey(doc: ConfigDocument, key: string, value: Scalar, after?: string): TextEdit {
  return insertKeys(doc, [[key, value]], after);
}

/** Inserts several `key: value` lines at one place, in the given order, as one edit. */
export function insertKeys(doc: ConfigDocument, pairs: readonly (readonly [string, Scalar])[], after?: string): TextEdit {
  const eol = lineBreakOf(doc.text);
  const lines = pairs.map(([k, v]) => `${k}: ${formatScalar(v)}`).join(eol);
  const anchor = after ? doc.byKey.get(after) : undefined;
  if (anchor) {
    const { keyStart, valueEnd } = entryOffsets(doc, anchor);
    const endLine = doc.positionAt(Math.max(valueEnd - 1, keyStart)).line;
    const at = doc.offsetAt({ line: endLine + 1, character: 0 });
    const atEnd = at >= doc.text.length && !doc.text.endsWith('\n');
    const pos = doc.positionAt(at);
    return { range: { start: pos, end: pos }, newText: atEnd ? `${eol}${lines}` : `${lines}${eol}` };
  }
  const end = doc.positionAt(doc.text.length);
  const needsBreak = doc.text.length > 0 && !doc.text.endsWith('\n');
  return { range: { start: end, end }, newText: `${needsBreak ? eol : ''}${lines}${eol}` };
}

/**
 * Edits that give the config these values: existing keys are set in place
 * (null removes them), new keys are added together after `anchor`.
 */
export function applyChanges(doc: ConfigDocument, changes: Readonly<Record<string, Scalar>>, anchor?: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const added: [string, Scalar][] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (doc.byKey.has(key)) {
      const e = value === null ? removeKey(doc, key) : setValue(doc, key, value);
      if (e) edits.push(e);
    } else if (value !== null) added.push([key, value]);
  }
  if (added.length) edits.push(insertKeys(doc, added, anchor && doc.byKey.has(anchor) ? anchor : undefined));
  return edits;
}

/** Renames a key (top-level or nested) in place, keeping its value and comments. */
export function renameKey(entry: Pick<ConfigEntry, 'keyRange'>, newKey: string): TextEdit {
  return { range: entry.keyRange, newText: newKey };
}

/** Applies non-overlapping edits to a text (used by the CLI's --fix and by tests). */
export function applyEdits(doc: ConfigDocument, edits: TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = doc.text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
