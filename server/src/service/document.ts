// Parses a config once into plain data the rest of the service reads: the
// top-level entries with their resolved values and ranges, the YAML document
// (for comment-preserving edits) and the problems found while parsing.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar, visit } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { classify } from './classify';
import { scanEntries } from './entry-scan';
import type { ScannedEntry } from './entry-scan';
import { resolvePlainScalar } from './scalars';
import { ConfigKind, makeDiagnostic } from './types';
import type { ParseLimits } from './types';
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
  /** The value's YAML node when it is a mapping or a list, for ranges inside it; undefined for scalars. */
  node: YAMLMap | YAMLSeq | undefined;
}

export type { ParseLimits };

export const defaultParseLimits: ParseLimits = { maxChars: 5_000_000, maxAliasExpansions: 10_000, maxDepth: 100 };

export interface ConfigDocument {
  uri: string;
  text: string;
  kind: ConfigKind;
  /** Every top-level entry in file order, duplicates included. */
  entries: ConfigEntry[];
  /** First occurrence of each top-level key. */
  byKey: Map<string, ConfigEntry>;
  /** True when the text held a YAML document (not empty, only comments, or refused). */
  parsed: boolean;
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

/**
 * tooDeepAt for a scanned file: one-line entries nest one level deep, so only
 * the entries left to the YAML parser are measured, each on its own.
 */
function deepestEntryAt(text: string, scanned: readonly ScannedEntry[], max: number): number {
  for (const e of scanned) {
    if (e.scalar) continue;
    const at = tooDeepAt(text.slice(e.start, e.end), max);
    if (at >= 0) return e.start + at;
  }
  return -1;
}

/**
 * How the text is read: 'scan' reads flat `key: value` entries directly and hands the
 * rest to the YAML parser (the same result, faster); 'yaml' parses everything with it.
 */
export type ParseStrategy = 'scan' | 'yaml';

/** Parses `text`; never throws, whatever the input. */
export function parseConfig(uri: string, text: string, partialLimits: Partial<ParseLimits> = {}, strategy: ParseStrategy = 'scan'): ConfigDocument {
  const limits: ParseLimits = { ...defaultParseLimits, ...partialLimits };
  const index = new LineIndex(text);
  const rangeOf = (start: number, end: number): Range => ({ start: index.positionAt(start), end: index.positionAt(end) });
  const doc: ConfigDocument = {
    uri,
    text,
    kind: 'other',
    entries: [],
    byKey: new Map(),
    parsed: false,
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

  const scanned = strategy === 'scan' ? scanEntries(text) : undefined;
  const deep = scanned ? deepestEntryAt(text, scanned, limits.maxDepth) : tooDeepAt(text, limits.maxDepth);
  if (deep >= 0) {
    doc.kind = kindOfPrefix(deep);
    doc.problems.push(
      makeDiagnostic(rangeOf(deep, deep + 1), DiagnosticSeverity.Error, 'nesting-too-deep',
        t('The nesting here is deeper than {0} levels; no LLaMA-Factory setting needs that, and the file was not checked.', limits.maxDepth)),
    );
    return doc;
  }

  const reader = new EntryReader(text, limits, rangeOf);
  if (!(scanned && reader.readScanned(doc, scanned))) reader.readWithYaml(doc);
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

const YAML_OPTIONS = { version: '1.1', schema: 'failsafe', uniqueKeys: false, prettyErrors: false } as const;

/**
 * Turns parsed text into entries. Values are expanded under one budget for
 * the whole file, whichever way each entry was read, so an alias bomb is
 * cut off at the same point.
 */
class EntryReader {
  private budget = 0;
  constructor(
    private readonly text: string,
    private readonly limits: ParseLimits,
    private readonly rangeOf: (start: number, end: number) => Range,
  ) {}

  /**
   * Reads the scanned entries: scalars directly, the others each through the YAML
   * parser on their own text. False (and `doc` untouched) when an entry's text does
   * not parse cleanly on its own into that one key; the whole file then needs the parser.
   */
  readScanned(doc: ConfigDocument, scanned: ScannedEntry[]): boolean {
    this.budget = this.limits.maxAliasExpansions;
    const entries: ConfigEntry[] = [];
    const problems: Diagnostic[] = [];
    for (const [i, s] of scanned.entries()) {
      if (s.scalar) {
        const { start, end, text, quoted } = s.scalar;
        // Everything is on the key's line, so positions need no search through the line index.
        const at = (offset: number): Position => ({ line: s.line, character: offset - s.start });
        entries.push({
          key: String(resolvePlainScalar(s.key)),
          keyRange: { start: at(s.start), end: at(s.keyEnd) },
          valueRange: { start: at(start), end: at(end) },
          value: quoted ? text : resolvePlainScalar(text),
          quoted,
          node: undefined,
        });
        continue;
      }
      const pair = this.parseAlone(s, scanned[i + 1]);
      if (!pair) return false;
      entries.push(this.entryOf(pair, undefined, problems));
    }
    doc.parsed = entries.length > 0;
    doc.problems.push(...problems);
    for (const entry of entries) this.add(doc, entry);
    return true;
  }

  /**
   * One entry's text parsed by itself, with the next key's line after it: a value
   * can reach past its own lines (an indented plain scalar continues onto the next
   * one), and the parser must still end it there. Ranges are moved to where the
   * entry sits in the file. Undefined unless that reads cleanly as the two keys.
   */
  private parseAlone(s: ScannedEntry, next: ScannedEntry | undefined): Pair | undefined {
    const yaml = parseDocument(this.text.slice(s.start, next ? next.lineEnd : s.end), YAML_OPTIONS);
    const root = yaml.contents;
    if (yaml.errors.length > 0 || !isMap(root) || root.items.length !== (next ? 2 : 1)) return undefined;
    const startsAt = (pair: Pair, entry: ScannedEntry): boolean => {
      const key = pair.key;
      return isScalar(key) && key.type === Scalar.PLAIN && key.source === entry.key && key.range?.[0] === entry.start - s.start;
    };
    const [pair, after] = root.items;
    if (!startsAt(pair, s) || (next && !startsAt(after, next))) return undefined;
    let alias = false;
    visit(yaml, {
      Alias: () => {
        // An alias may point into another entry: only the whole file resolves it.
        alias = true;
        return visit.BREAK;
      },
    });
    if (alias) return undefined;
    visit(yaml, {
      Node: (_, node) => {
        if (node.range) node.range = [node.range[0] + s.start, node.range[1] + s.start, node.range[2] + s.start];
      },
    });
    return pair;
  }

  /** Parses the whole text with the YAML parser. */
  readWithYaml(doc: ConfigDocument): void {
    const { text, rangeOf } = this;
    this.budget = this.limits.maxAliasExpansions;
    let docs: Document.Parsed[];
    try {
      // A lone \r ends a line for PyYAML and LSP clients but not for the `yaml` package; replacing it
      // one character for one keeps every offset while the parser sees the lines LLaMA-Factory sees.
      docs = parseAllDocuments(text.replace(/\r(?!\n)/g, '\n'), YAML_OPTIONS) as Document.Parsed[];
    } catch (e) {
      doc.problems.push(makeDiagnostic(rangeOf(0, 0), DiagnosticSeverity.Error, 'yaml-syntax', t('The YAML could not be read: {0}', String(e))));
      return;
    }
    if (!Array.isArray(docs)) docs = [];
    const first = docs[0];
    doc.parsed = first !== undefined;
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
    if (isMap(root)) {
      for (const pair of root.items) if (isPair(pair)) this.add(doc, this.entryOf(pair, first, doc.problems));
    } else if (root && !(isScalar(root) && (root.value === '' || root.value === null))) {
      const [s, e] = root.range;
      doc.problems.push(
        makeDiagnostic(rangeOf(s, e), DiagnosticSeverity.Error, 'root-not-mapping',
          t('A LLaMA-Factory config must be a mapping of `key: value` lines at the top level.')),
      );
    }
  }

  private add(doc: ConfigDocument, entry: ConfigEntry): void {
    doc.entries.push(entry);
    if (!doc.byKey.has(entry.key)) doc.byKey.set(entry.key, entry);
  }

  /** The entry for a parsed pair; `yaml` resolves aliases (none when the pair was parsed alone). */
  private entryOf(pair: Pair, yaml: Document.Parsed | undefined, problems: Diagnostic[]): ConfigEntry {
    const keyNode = pair.key as Node | null;
    let key: string;
    try {
      key = String(this.toValue(keyNode, yaml, 0));
    } catch {
      key = '';
    }
    const kr = keyNode?.range ?? [0, 0, 0];
    const valueNode = pair.value as Node | null;
    const vr = valueNode?.range ?? [kr[1], kr[1], kr[1]];
    let value: unknown;
    try {
      value = this.toValue(valueNode, yaml, 0);
    } catch (e) {
      if (!(e instanceof ExpansionLimit)) throw e;
      value = undefined;
      problems.push(
        makeDiagnostic(this.rangeOf(vr[0], vr[1]), DiagnosticSeverity.Error, 'alias-limit',
          t('Expanding the aliases under `{0}` takes more than {1} steps or {2} levels; the value was not checked.', key, this.limits.maxAliasExpansions, this.limits.maxDepth)),
      );
    }
    return {
      key,
      keyRange: this.rangeOf(kr[0], kr[1]),
      valueRange: this.rangeOf(vr[0], trimLineBreaks(this.text, vr[0], vr[1])),
      value,
      quoted: isScalar(valueNode) && valueNode.type !== Scalar.PLAIN && valueNode.type !== undefined,
      node: isMap(valueNode) || isSeq(valueNode) ? valueNode : undefined,
    };
  }

  private toValue(node: unknown, yaml: Document.Parsed | undefined, depth: number): unknown {
    if (depth > this.limits.maxDepth) throw new ExpansionLimit();
    if (isAlias(node)) {
      if (--this.budget < 0) throw new ExpansionLimit();
      return this.toValue(yaml ? node.resolve(yaml) : undefined, yaml, depth + 1);
    }
    if (isScalar(node)) return scalarValue(node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const item of node.items) {
        if (--this.budget < 0) throw new ExpansionLimit();
        const k = this.toValue(item.key, yaml, depth + 1);
        out[String(k)] = this.toValue(item.value, yaml, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((i) => {
        if (--this.budget < 0) throw new ExpansionLimit();
        return this.toValue(i, yaml, depth + 1);
      });
    }
    return null;
  }
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
