// Parses a config once into plain data the rest of the service reads: the
// top-level entries with their resolved values and ranges, the YAML document
// (for comment-preserving edits) and the problems found while parsing.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { classify } from './classify';
import { resolvePlainScalar } from './scalars';
import { ConfigKind, makeDiagnostic } from './types';
import { t } from './l10n';

export interface ConfigEntry {
  key: string;
  keyRange: Range;
  /** The value's range; an empty range right after the colon when the value is missing. */
  valueRange: Range;
  /** The value as LLaMA-Factory receives it (OmegaConf typing, aliases expanded). */
  value: unknown;
  /** True when the value is a quoted scalar (so `"false"` is a string, not a boolean). */
  quoted: boolean;
  pair: Pair;
}

export interface ParseLimits {
  /** Largest document analysed, in characters; larger ones are refused with one diagnostic. */
  maxChars: number;
  /** Alias expansions allowed while resolving values (guards against alias bombs). */
  maxAliasExpansions: number;
  /** Deepest nesting of mappings and lists analysed; deeper files are refused before the YAML parser recurses into them. */
  maxDepth: number;
}

export const defaultParseLimits: ParseLimits = { maxChars: 5_000_000, maxAliasExpansions: 10_000, maxDepth: 100 };

export interface ConfigDocument {
  uri: string;
  text: string;
  kind: ConfigKind;
  /** Every top-level entry in file order, duplicates included. */
  entries: ConfigEntry[];
  /** First occurrence of each top-level key. */
  byKey: Map<string, ConfigEntry>;
  /** The YAML document when the text parsed into one; used by edits. */
  yaml: Document.Parsed | undefined;
  /** Syntax and structure problems found while parsing. */
  problems: Diagnostic[];
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/** A line break as LSP clients count them: \r\n, \n or a lone \r. */
export const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The line break for inserted lines: \r\n when the text uses it, else \n. Never a
 * lone \r, which the YAML parser does not take as a line break.
 */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Offsets ↔ LSP positions. Lines end at \n, \r\n or a lone \r, as LSP clients
 * count them; an offset inside a line break maps to the end of that line.
 */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  private contentEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    if (end > this.starts[line] && line + 1 < this.starts.length) {
      end--;
      if (this.text.charCodeAt(end) === 10 && end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return end;
  }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.contentEnd(lo)) - this.starts[lo] };
  }
  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, p.line)];
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }
}

class ExpansionLimit extends Error {}

/**
 * Where the nesting first gets deeper than `max` (-1 when it never does): block
 * indentation levels plus open flow brackets, skipping quotes and comments. An
 * estimate, cheap enough to run before parsing, with a limit far above real configs.
 */
export function tooDeepAt(text: string, max: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      lineStart = false;
      if (c !== '#' && !quote && flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:]/.test(text[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (c === '[' || c === '{') {
      if (++flow + indents.length > max) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    if (indents.length + flow > max) return i;
  }
  return -1;
}

/** Parses `text`; never throws, whatever the input. */
export function parseConfig(uri: string, text: string, partialLimits: Partial<ParseLimits> = {}): ConfigDocument {
  const limits: ParseLimits = { ...defaultParseLimits, ...partialLimits };
  const index = new LineIndex(text);
  const rangeOf = (start: number, end: number): Range => ({ start: index.positionAt(start), end: index.positionAt(end) });
  const doc: ConfigDocument = {
    uri,
    text,
    kind: 'other',
    entries: [],
    byKey: new Map(),
    yaml: undefined,
    problems: [],
    positionAt: (o) => index.positionAt(o),
    offsetAt: (p) => index.offsetAt(p),
  };
  // A refused file still needs its kind, so its one diagnostic shows: read from the start of it.
  const kindOfPrefix = (end: number): ConfigKind => {
    const cut = text.slice(0, Math.min(end, 65_536, limits.maxChars));
    const lastBreak = cut.lastIndexOf('\n');
    return parseConfig(uri, lastBreak > 0 ? cut.slice(0, lastBreak) : cut, limits).kind;
  };
  if (text.length > limits.maxChars) {
    doc.kind = kindOfPrefix(text.length);
    doc.problems.push(
      makeDiagnostic(rangeOf(0, 0), DiagnosticSeverity.Warning, 'file-too-large',
        t('This file has {0} characters, more than the {1} that are analysed; it was not checked.', text.length, limits.maxChars)),
    );
    return doc;
  }
  if (text.includes('\u0000')) {
    const at = text.indexOf('\u0000');
    doc.kind = kindOfPrefix(at);
    doc.problems.push(
      makeDiagnostic(rangeOf(at, at + 1), DiagnosticSeverity.Error, 'binary-content',
        t('This file contains a NUL byte, so it is binary data rather than YAML; it was not checked.')),
    );
    return doc;
  }

  const deep = tooDeepAt(text, limits.maxDepth);
  if (deep >= 0) {
    doc.kind = kindOfPrefix(deep);
    doc.problems.push(
      makeDiagnostic(rangeOf(deep, deep + 1), DiagnosticSeverity.Error, 'nesting-too-deep',
        t('The nesting here is deeper than {0} levels; no LLaMA-Factory setting needs that, and the file was not checked.', limits.maxDepth)),
    );
    return doc;
  }

  let docs: Document.Parsed[];
  try {
    // A lone \r ends a line for PyYAML and LSP clients but not for the `yaml` package; replacing it
    // one character for one keeps every offset while the parser sees the lines LLaMA-Factory sees.
    docs = parseAllDocuments(text.replace(/\r(?!\n)/g, '\n'), { version: '1.1', schema: 'failsafe', uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    doc.problems.push(makeDiagnostic(rangeOf(0, 0), DiagnosticSeverity.Error, 'yaml-syntax', t('The YAML could not be read: {0}', String(e))));
    return doc;
  }
  if (!Array.isArray(docs)) docs = [];
  const first = docs[0];
  doc.yaml = first;
  for (const d of docs) {
    for (const err of d.errors) {
      const [s, e] = err.pos;
      doc.problems.push(makeDiagnostic(rangeOf(s, Math.max(e, s + 1)), DiagnosticSeverity.Error, 'yaml-syntax', cleanYamlMessage(err.message)));
    }
  }
  if (docs.length > 1) {
    const start = docs[1].range[0];
    doc.problems.push(
      makeDiagnostic(rangeOf(start, start), DiagnosticSeverity.Error, 'multiple-documents',
        t('LLaMA-Factory reads a single YAML document; this file has more than one (separated by ---).')),
    );
  }

  const root = first?.contents;
  let budget = limits.maxAliasExpansions;
  const toValue = (node: unknown, depth: number): unknown => {
    if (depth > limits.maxDepth) throw new ExpansionLimit();
    if (isAlias(node)) {
      if (--budget < 0) throw new ExpansionLimit();
      return toValue(node.resolve(first), depth + 1);
    }
    if (isScalar(node)) return scalarValue(node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const item of node.items) {
        if (--budget < 0) throw new ExpansionLimit();
        const k = toValue(item.key, depth + 1);
        out[String(k)] = toValue(item.value, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((i) => {
        if (--budget < 0) throw new ExpansionLimit();
        return toValue(i, depth + 1);
      });
    }
    return null;
  };

  if (isMap(root)) {
    for (const pair of root.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      let key: string;
      try {
        key = String(toValue(keyNode, 0));
      } catch {
        key = '';
      }
      const kr = keyNode?.range ?? [0, 0, 0];
      const valueNode = pair.value as Node | null;
      const vr = valueNode?.range ?? [kr[1], kr[1], kr[1]];
      let value: unknown;
      try {
        value = toValue(valueNode, 0);
      } catch (e) {
        if (!(e instanceof ExpansionLimit)) throw e;
        value = undefined;
        doc.problems.push(
          makeDiagnostic(rangeOf(vr[0], vr[1]), DiagnosticSeverity.Error, 'alias-limit',
            t('Expanding the aliases under `{0}` takes more than {1} steps or {2} levels; the value was not checked.', key, limits.maxAliasExpansions, limits.maxDepth)),
        );
      }
      const entry: ConfigEntry = {
        key,
        keyRange: rangeOf(kr[0], kr[1]),
        valueRange: rangeOf(vr[0], trimLineBreaks(text, vr[0], vr[1])),
        value,
        quoted: isScalar(valueNode) && valueNode.type !== Scalar.PLAIN && valueNode.type !== undefined,
        pair,
      };
      doc.entries.push(entry);
      if (!doc.byKey.has(key)) doc.byKey.set(key, entry);
    }
  } else if (root && !(isScalar(root) && (root.value === '' || root.value === null))) {
    const [s, e] = root.range;
    doc.problems.push(
      makeDiagnostic(rangeOf(s, e), DiagnosticSeverity.Error, 'root-not-mapping',
        t('A LLaMA-Factory config must be a mapping of `key: value` lines at the top level.')),
    );
  }
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) {
    // Editors and the CLI decode bytes that are not UTF-8 as U+FFFD; Python's UTF-8 reader stops on them instead.
    doc.problems.push(
      makeDiagnostic(rangeOf(replaced, replaced + 1), DiagnosticSeverity.Error, 'invalid-utf8',
        t('This character stands for bytes that are not valid UTF-8 (or is a literal U+FFFD); LLaMA-Factory reads configs as UTF-8 and would fail here. Save the file as UTF-8.')),
    );
  }
  doc.kind = classify(text, doc);
  return doc;
}

/** A block scalar's range ends after its last line break; a value ends before it, so replacing the value keeps the line. */
function trimLineBreaks(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13)) e--;
  return e;
}

function scalarValue(node: Scalar): unknown {
  const raw = node.value;
  if (typeof raw !== 'string') return raw;
  return node.type === Scalar.PLAIN ? resolvePlainScalar(raw) : raw;
}

/** The `yaml` package appends code context to messages; the range already shows where. */
function cleanYamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Value of a top-level key, or undefined when absent. */
export function valueOf(doc: ConfigDocument, key: string): unknown {
  return doc.byKey.get(key)?.value;
}
