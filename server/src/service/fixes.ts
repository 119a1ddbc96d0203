// Quick-fixes as data. A check describes what a fix does to the config's keys
// (set, remove, rename); the diagnostic carries that description in its
// `data.fixes`, and this module turns it into comment-preserving edits against
// the document when an action is asked for. Plain data travels through LSP,
// can be listed by the CLI and compared in tests, where closures could not.
import type { Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument } from './document';
import { formatScalar, insertKeys, removeEntry, removeKey, renameKey, setValue } from './edits';

export type ScalarValue = string | number | boolean | null;

/**
 * One operation on a key.
 * - `set`: replace the value, or add `key: value` after `after` (end of file when absent);
 * - `remove`: delete the entry's lines;
 * - `rename`: change the key, keeping value and comments (refused when `to` is already written);
 *   with `value`, the value is rewritten too (another tool's key whose value translates);
 * - `setList`: write a written key's value as a YAML flow list of scalars (`[wandb, tensorboard]`).
 * With `at`, `remove` and `rename` act on the key written at that range: a nested
 * key or a repeated one, which the top-level lookup does not reach.
 */
export type KeyOp =
  | { set: string; value: ScalarValue; after?: string }
  | { remove: string; at?: Range }
  | { rename: string; to: string; value?: ScalarValue; at?: Range }
  | { setList: string; items: ScalarValue[] };

export interface Fix {
  title: string;
  ops: KeyOp[];
  /** The fix an editor applies on "auto fix" and "fix all", and shows first. */
  preferred?: boolean;
  /**
   * The fix only corrects how something is written (a misspelt key or choice,
   * a deprecated alias, a list where a comma string is read) or writes down the
   * value LLaMA-Factory already uses: applying it cannot change what the user
   * evidently meant. Removing a key or changing a setting to another one is never safe.
   */
  safe?: boolean;
}

/** A fix turned into edits of one document version. */
export interface ResolvedFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  safe?: boolean;
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

/** The key written at `range`, quotes removed. */
function writtenKey(doc: ConfigDocument, range: Range): string {
  return doc.text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end)).replace(/^["']|["']$/g, '');
}

function removeEdit(doc: ConfigDocument, op: { remove: string; at?: Range }): TextEdit | undefined {
  if (!op.at) return removeKey(doc, op.remove);
  const at = op.at;
  const entry = doc.entries.find((e) => e.key === op.remove && sameStart(e.keyRange, at));
  return entry && removeEntry(doc, entry);
}

function renameEdit(doc: ConfigDocument, op: { rename: string; to: string; at?: Range }): TextEdit | undefined {
  if (op.at) return writtenKey(doc, op.at) === op.rename ? renameKey({ keyRange: op.at }, op.to) : undefined;
  const entry = doc.byKey.get(op.rename);
  return entry && !doc.byKey.has(op.to) ? renameKey(entry, op.to) : undefined;
}

/** The value of a key written on its own line, replaced by a flow list. */
function listEdit(doc: ConfigDocument, op: { setList: string; items: ScalarValue[] }): TextEdit | undefined {
  const entry = doc.byKey.get(op.setList);
  if (!entry || entry.valueRange.start.line !== entry.keyRange.start.line) return undefined;
  return { range: entry.valueRange, newText: `[${op.items.map(formatScalar).join(', ')}]` };
}

/**
 * The edits of `fix`, or undefined when one of its operations no longer fits
 * the document (the key is gone, the new name is taken). New keys that go to
 * the same place are written as one edit, in the order given.
 */
export function fixEdits(doc: ConfigDocument, fix: Fix): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const inserts = new Map<string, [string, ScalarValue][]>();
  for (const op of fix.ops) {
    if ('set' in op) {
      if (doc.byKey.has(op.set)) {
        const edit = setValue(doc, op.set, op.value);
        if (!edit) return undefined;
        edits.push(edit);
      } else {
        const anchor = op.after !== undefined && doc.byKey.has(op.after) ? op.after : '';
        inserts.set(anchor, [...(inserts.get(anchor) ?? []), [op.set, op.value]]);
      }
      continue;
    }
    const edit = 'remove' in op ? removeEdit(doc, op) : 'setList' in op ? listEdit(doc, op) : renameEdit(doc, op);
    if (!edit) return undefined;
    edits.push(edit);
    if ('rename' in op && op.value !== undefined) {
      const value = setValue(doc, op.rename, op.value);
      if (!value) return undefined;
      edits.push(value);
    }
  }
  for (const [anchor, pairs] of inserts) edits.push(insertKeys(doc, pairs, anchor || undefined));
  return edits;
}

function isFix(x: unknown): x is Fix {
  const f = x as Fix;
  return typeof f === 'object' && f !== null && typeof f.title === 'string' && Array.isArray(f.ops);
}

/** The fix data a diagnostic carries (empty for a diagnostic without fixes). */
export function fixData(diagnostic: Diagnostic): Fix[] {
  const fixes = (diagnostic.data as { fixes?: unknown } | undefined)?.fixes;
  return Array.isArray(fixes) ? fixes.filter(isFix) : [];
}

/** The fixes a diagnostic carries, as edits against `doc`; fixes that no longer fit are left out. */
export function resolveFixes(doc: ConfigDocument, diagnostic: Diagnostic): ResolvedFix[] {
  const out: ResolvedFix[] = [];
  for (const fix of fixData(diagnostic)) {
    const edits = fixEdits(doc, fix);
    if (!edits || edits.length === 0) continue;
    out.push({ title: fix.title, edits, ...(fix.preferred ? { isPreferred: true } : {}), ...(fix.safe ? { safe: true } : {}) });
  }
  return out;
}
