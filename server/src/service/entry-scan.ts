// A single pass over the lines of a config that splits it into its top-level
// entries without running the YAML parser. Most LLaMA-Factory configs are flat
// `key: value` lines, and reading those directly is an order of magnitude
// faster than a full parse. The scan is deliberately narrow: anything it is
// not sure about either marks that one entry for the YAML parser (nested
// blocks, flow collections, tags, escapes) or gives up on the whole file
// (document markers, text before the first key, a lone \r), and
// `parseConfig` then parses the whole text with `yaml` as before.

/** A one-line scalar read by the scan, with its source offsets. */
export interface ScannedScalar {
  start: number;
  end: number;
  /** The value's text: the plain source, or the quoted content unescaped. */
  text: string;
  quoted: boolean;
}

export interface ScannedEntry {
  /** Offsets of this entry's text: its key line up to the next top-level key (comments and blank lines included). */
  start: number;
  end: number;
  /** The key as written (a plain scalar, typed later like any other). */
  key: string;
  keyEnd: number;
  /** The key's line (0-based) and where that line ends, before its line break. */
  line: number;
  lineEnd: number;
  /** The value when the scan could read it; undefined when the entry needs the YAML parser. */
  scalar: ScannedScalar | undefined;
}

/** A top-level key: a plain name at column 0 followed by `:` and a space or the line end. */
const KEY = /^[A-Za-z_][\w.-]*(?=:(?: |$))/;
/**
 * Characters outside what the scan trusts itself to read the way the YAML
 * parser does: controls, tabs, non-ASCII line breaks, the BOM, surrogates.
 */
const UNTRUSTED = /[^\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]/;
/** Keys longer than this are errors for the YAML parser, so it reports them. */
const MAX_KEY = 1024;

/**
 * The top-level entries of `text`, or undefined when the scan cannot vouch for
 * the file's structure and the whole text must go through the YAML parser.
 */
export function scanEntries(text: string): ScannedEntry[] | undefined {
  const entries: ScannedEntry[] = [];
  let current: ScannedEntry | undefined;
  let lineStart = 0;
  for (let lineNumber = 0; lineStart < text.length; lineNumber++) {
    const newline = text.indexOf('\n', lineStart);
    const next = newline < 0 ? text.length : newline + 1;
    let end = newline < 0 ? text.length : newline;
    if (newline > lineStart && text.charCodeAt(newline - 1) === 13) end--;
    const line = text.slice(lineStart, end);
    if (line.includes('\r')) return undefined;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 35 || line.length === 0) {
      // Blank, comment or indented line: it belongs to the entry above it.
      // Only spaces indent YAML (String#trimStart would also drop NBSP and other white space).
      const content = line.replace(/^ +/, '');
      const quiet = content === '' || (content.startsWith('#') && !UNTRUSTED.test(content));
      if (!quiet) {
        // A tab in indentation is an error or not depending on the lines after it, so the entry cannot be parsed alone.
        if (!current || line.includes('\t')) return undefined;
        current.scalar = undefined;
      }
    } else if (first === 9) {
      return undefined;
    } else {
      const key = KEY.exec(line)?.[0];
      if (key === undefined) return undefined;
      if (current) current.end = lineStart;
      const keyEnd = lineStart + key.length;
      current = {
        start: lineStart,
        end: text.length,
        key,
        keyEnd,
        line: lineNumber,
        lineEnd: end,
        scalar: key.length <= MAX_KEY && !UNTRUSTED.test(line) ? readScalar(line, key.length + 1, lineStart) : undefined,
      };
      entries.push(current);
    }
    lineStart = next;
  }
  return entries;
}

/** First characters a plain scalar may not start with, or that start something other than a scalar. */
const NOT_PLAIN_START = new Set('-?:,[]{}#&*!|>\'"%@`');

/**
 * Reads the value of a key line, from `from` (just after the colon) to the line's
 * end: empty, plain, or quoted without escapes, each followed only by spaces and
 * an optional comment. Anything else is left to the YAML parser. `at` is the
 * line's offset in the file.
 */
function readScalar(line: string, from: number, at: number): ScannedScalar | undefined {
  const to = line.length;
  let start = from;
  while (start < to && line.charCodeAt(start) === 32) start++;
  if (start === to || (line[start] === '#' && start > from)) {
    // No value: the parser places the empty scalar where the comment starts, or at the line end.
    return { start: at + start, end: at + start, text: '', quoted: false };
  }
  const c = line[start];
  if (c === "'" || c === '"') {
    let close = start + 1;
    for (;;) {
      close = line.indexOf(c, close);
      if (close < 0) return undefined;
      if (c === "'" && line[close + 1] === "'") {
        close += 2;
        continue;
      }
      break;
    }
    const inner = line.slice(start + 1, close);
    if (c === '"' && inner.includes('\\')) return undefined;
    if (!onlyCommentAfter(line, close + 1)) return undefined;
    return { start: at + start, end: at + close + 1, text: c === "'" ? inner.replace(/''/g, "'") : inner, quoted: true };
  }
  if (NOT_PLAIN_START.has(c)) return undefined;
  const comment = line.indexOf(' #', start);
  let end = comment >= 0 ? comment : to;
  while (end > start && line.charCodeAt(end - 1) === 32) end--;
  const source = line.slice(start, end);
  if (source.endsWith(':') || source.includes(': ') || /[[\]{}]/.test(source)) return undefined;
  return { start: at + start, end: at + end, text: source, quoted: false };
}

/** True when only spaces and an optional space-separated comment follow `from` on the line. */
function onlyCommentAfter(line: string, from: number): boolean {
  let i = from;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i === line.length || (line[i] === '#' && i > from);
}
