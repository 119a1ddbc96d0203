// Just enough Python to read LLaMA-Factory's argument dataclasses without
// running Python: a tokenizer, logical lines (brackets and backslashes join
// physical lines, as Python's own tokenizer does) and an expression reader for
// the literal subset the hparams files use (strings with implicit
// concatenation, numbers, True/False/None, lists, dicts, calls, dotted names,
// subscripts such as Optional[X], and the binary operators | * + -).
// Anything else becomes an opaque `expr` node, so a new construct degrades a
// default to "unknown" instead of failing the whole file.

export type Token =
  | { k: 'name'; v: string }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'op'; v: string };

export interface LogicalLine {
  /** Column of the first token. */
  indent: number;
  /** 1-based line of the first token. */
  line: number;
  tokens: Token[];
}

const OPERATORS = ['**=', '//=', '>>=', '<<=', '->', ':=', '**', '//', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '|=', '&=', '<<', '>>'];
/** The operators above by first character, in the same order (the longest is tried first). */
const OPERATORS_BY_FIRST = new Map<string, string[]>();
for (const o of OPERATORS) OPERATORS_BY_FIRST.set(o[0], [...(OPERATORS_BY_FIRST.get(o[0]) ?? []), o]);
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?)[jJlL]?/y;

// The scanner dispatches on character codes: a regular expression tried at every
// token made the tokenizer the largest cost of reading a source tree (template.py
// and extras/constants.py are over 100 kB each).
const isWordStart = (ch: number): boolean => (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || ch === 95;
const isWordPart = (ch: number): boolean => isWordStart(ch) || (ch >= 48 && ch <= 57);
const isDigit = (ch: number): boolean => ch >= 48 && ch <= 57;
/** r, R, b, B, u, U, f, F: the letters a string literal's prefix is made of. */
const isStringPrefix = (ch: number): boolean => ch === 114 || ch === 82 || ch === 98 || ch === 66 || ch === 117 || ch === 85 || ch === 102 || ch === 70;
const isQuote = (ch: number): boolean => ch === 34 || ch === 39;

/** The length of a string literal's prefix (0–2 letters) when a quote follows it at `at`, else -1. */
function stringPrefixAt(src: string, at: number): number {
  const ch = src.charCodeAt(at);
  if (isQuote(ch)) return 0;
  if (!isStringPrefix(ch)) return -1;
  const next = src.charCodeAt(at + 1);
  if (isStringPrefix(next) && isQuote(src.charCodeAt(at + 2))) return 2;
  return isQuote(next) ? 1 : -1;
}

/**
 * Splits source text into logical lines of tokens (comments dropped). With `keep`, a top-level
 * statement whose first token it refuses, and the block under it, are only scanned for where they
 * end: no token is made for them (reading a 130 kB module for its few classes then costs a scan).
 */
export function logicalLines(src: string, keep?: (first: Token) => boolean): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  /** Whether the current logical line has a token yet, and whether its tokens (and its block's) are dropped. */
  let begun = false;
  let skipping = false;
  const begin = (first: Token, column: number): void => {
    begun = true;
    if (keep && column === 0) skipping = !keep(first);
  };
  const push = (t: Token, column: number, at = line): void => {
    if (!begun) begin(t, column);
    if (skipping) return;
    if (!current) current = { indent: column, line: at, tokens: [] };
    current.tokens.push(t);
  };
  const endLine = (): void => {
    if (depth !== 0) return;
    if (current) lines.push(current);
    current = undefined;
    begun = false;
  };
  while (i < src.length) {
    const ch = src.charCodeAt(i);
    if (ch === 10) {
      line++;
      i++;
      lineStart = i;
      endLine();
      continue;
    }
    if (ch === 92 && src.charCodeAt(i + 1) === 10) {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 12) {
      i++;
      continue;
    }
    if (ch === 35) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
      continue;
    }
    const prefix = stringPrefixAt(src, i);
    if (prefix >= 0) {
      const column = i - lineStart;
      const startLine = line;
      const raw = src.charCodeAt(i) === 114 || src.charCodeAt(i) === 82 || (prefix === 2 && (src.charCodeAt(i + 1) === 114 || src.charCodeAt(i + 1) === 82));
      const q = src.charCodeAt(i + prefix);
      const triple = src.charCodeAt(i + prefix + 1) === q && src.charCodeAt(i + prefix + 2) === q;
      const quote = src.slice(i + prefix, i + prefix + (triple ? 3 : 1));
      // A dropped string is only scanned; the first token of a top-level line is made, to decide.
      const build = !skipping || (!begun && column === 0);
      i += prefix + quote.length;
      const parts: string[] = [];
      let from = i;
      while (i < src.length) {
        const c = src.charCodeAt(i);
        if (c === q && (!triple || (src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q))) break;
        if (c === 10) {
          if (!triple) break; // unterminated: stop at the line end
          line++;
          lineStart = i + 1;
        } else if (c === 92 && !raw) {
          if (build) parts.push(src.slice(from, i), unescape(src[i + 1] ?? ''));
          if (src.charCodeAt(i + 1) === 10) {
            line++;
            lineStart = i + 2;
          }
          i += 2;
          from = i;
          continue;
        }
        i++;
      }
      const tail = build ? src.slice(from, Math.min(i, src.length)) : '';
      i += quote.length;
      push({ k: 'str', v: parts.length === 0 ? tail : parts.join('') + tail }, column, startLine);
      continue;
    }
    if (isWordStart(ch)) {
      let end = i + 1;
      while (end < src.length && isWordPart(src.charCodeAt(end))) end++;
      if (!skipping || !begun) push({ k: 'name', v: src.slice(i, end) }, i - lineStart);
      i = end;
      continue;
    }
    if (isDigit(ch) || ch === 46) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(src);
      if (num && num[0] !== '') {
        push({ k: 'num', v: Number(num[0].replace(/_/g, '').replace(/[jJlL]$/, '')) }, i - lineStart);
        i += num[0].length;
        continue;
      }
    }
    const c = src[i];
    const op = OPERATORS_BY_FIRST.get(c)?.find((o) => src.startsWith(o, i)) ?? c;
    if (op === '(' || op === '[' || op === '{') depth++;
    else if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    push({ k: 'op', v: op }, i - lineStart);
    i += op.length;
  }
  if (current) lines.push(current);
  return lines;
}

function unescape(c: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\n': '', '\\': '\\', "'": "'", '"': '"' };
  return map[c] ?? `\\${c}`;
}

/** A parsed expression of the literal subset. */
export type PyNode =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'list'; items: PyNode[] }
  | { k: 'dict'; entries: [PyNode, PyNode][] }
  | { k: 'name'; v: string }
  | { k: 'call'; fn: PyNode; args: PyNode[]; kwargs: Record<string, PyNode> }
  | { k: 'sub'; base: PyNode; items: PyNode[] }
  | { k: 'bin'; op: string; a: PyNode; b: PyNode }
  | { k: 'expr' };

const OPAQUE: PyNode = { k: 'expr' };

/** Reads one expression from tokens[from..]; returns the node and the index after it. */
export function parseExpr(tokens: Token[], from = 0): [PyNode, number] {
  return binary(tokens, from, 0);
}

// Lowest to highest precedence among the operators the hparams files use.
const LEVELS = [['|'], ['+', '-'], ['*', '/', '//', '%']];

function binary(tokens: Token[], i: number, level: number): [PyNode, number] {
  if (level === LEVELS.length) return unary(tokens, i);
  let [a, j] = binary(tokens, i, level + 1);
  while (tokens[j]?.k === 'op' && LEVELS[level].includes(tokens[j].v as string)) {
    const op = tokens[j].v as string;
    const [b, k] = binary(tokens, j + 1, level + 1);
    a = { k: 'bin', op, a, b };
    j = k;
  }
  return [a, j];
}

function unary(tokens: Token[], i: number): [PyNode, number] {
  const t = tokens[i];
  if (t?.k === 'op' && t.v === '-') {
    const [n, j] = unary(tokens, i + 1);
    return [n.k === 'lit' && typeof n.v === 'number' ? { k: 'lit', v: -n.v } : OPAQUE, j];
  }
  if (t?.k === 'name' && t.v === 'lambda') return [OPAQUE, skipTo(tokens, i, [',', ')', ']', '}'])];
  return postfix(tokens, i);
}

function postfix(tokens: Token[], i: number): [PyNode, number] {
  let [node, j] = atom(tokens, i);
  for (;;) {
    const t = tokens[j];
    if (t?.k !== 'op') break;
    if (t.v === '.' && tokens[j + 1]?.k === 'name') {
      node = node.k === 'name' ? { k: 'name', v: `${node.v}.${tokens[j + 1].v}` } : OPAQUE;
      j += 2;
    } else if (t.v === '(') {
      const [args, kwargs, k] = callArgs(tokens, j + 1);
      node = { k: 'call', fn: node, args, kwargs };
      j = k;
    } else if (t.v === '[') {
      const [items, k] = sequence(tokens, j + 1, ']');
      node = { k: 'sub', base: node, items };
      j = k;
    } else break;
  }
  return [node, j];
}

function atom(tokens: Token[], i: number): [PyNode, number] {
  const t = tokens[i];
  if (!t) return [OPAQUE, i];
  if (t.k === 'str') {
    let v = t.v;
    let j = i + 1;
    while (tokens[j]?.k === 'str') v += tokens[j++].v as string; // implicit concatenation
    return [{ k: 'lit', v }, j];
  }
  if (t.k === 'num') return [{ k: 'lit', v: t.v }, i + 1];
  if (t.k === 'name') {
    if (t.v === 'True' || t.v === 'False') return [{ k: 'lit', v: t.v === 'True' }, i + 1];
    if (t.v === 'None') return [{ k: 'lit', v: null }, i + 1];
    return [{ k: 'name', v: t.v }, i + 1];
  }
  if (t.v === '(') {
    const [items, j] = sequence(tokens, i + 1, ')');
    // A parenthesised single expression (no comma) is that expression: implicit string concatenation lives here.
    const tuple = items.length !== 1 || tokens[j - 2]?.v === ',';
    return [tuple ? { k: 'list', items } : items[0], j];
  }
  if (t.v === '[') {
    const [items, j] = sequence(tokens, i + 1, ']');
    return [{ k: 'list', items }, j];
  }
  if (t.v === '{') return dict(tokens, i + 1);
  return [OPAQUE, i + 1];
}

/** Comma-separated expressions up to the closing bracket; returns the index after it. */
function sequence(tokens: Token[], i: number, close: string): [PyNode[], number] {
  const items: PyNode[] = [];
  let j = i;
  while (j < tokens.length && tokens[j].v !== close) {
    const [n, k] = parseExpr(tokens, j);
    items.push(n);
    j = skipTo(tokens, k, [',', close]);
    if (tokens[j]?.v === ',') j++;
  }
  return [items, j + 1];
}

function dict(tokens: Token[], i: number): [PyNode, number] {
  const entries: [PyNode, PyNode][] = [];
  let j = i;
  while (j < tokens.length && tokens[j].v !== '}') {
    const [key, k] = parseExpr(tokens, j);
    if (tokens[k]?.v !== ':') {
      j = skipTo(tokens, k, [',', '}']);
      if (tokens[j]?.v === ',') j++;
      continue;
    }
    const [value, m] = parseExpr(tokens, k + 1);
    entries.push([key, value]);
    j = skipTo(tokens, m, [',', '}']);
    if (tokens[j]?.v === ',') j++;
  }
  return [{ k: 'dict', entries }, j + 1];
}

function callArgs(tokens: Token[], i: number): [PyNode[], Record<string, PyNode>, number] {
  const args: PyNode[] = [];
  const kwargs: Record<string, PyNode> = {};
  let j = i;
  while (j < tokens.length && tokens[j].v !== ')') {
    if (tokens[j].k === 'name' && tokens[j + 1]?.v === '=') {
      const [n, k] = parseExpr(tokens, j + 2);
      kwargs[tokens[j].v as string] = n;
      j = k;
    } else {
      const [n, k] = parseExpr(tokens, j);
      args.push(n);
      j = k;
    }
    j = skipTo(tokens, j, [',', ')']);
    if (tokens[j]?.v === ',') j++;
  }
  return [args, kwargs, j + 1];
}

/** The index of the next top-level token among `stops` (nested brackets skipped). */
function skipTo(tokens: Token[], i: number, stops: string[]): number {
  let depth = 0;
  let j = i;
  for (; j < tokens.length; j++) {
    const v = tokens[j].k === 'op' ? (tokens[j].v as string) : '';
    if (depth === 0 && stops.includes(v)) return j;
    if ('([{'.includes(v) && v !== '') depth++;
    else if (')]}'.includes(v) && v !== '') {
      if (depth === 0) return j;
      depth--;
    }
  }
  return j;
}

/** The node as a plain JSON value; `unresolved` (undefined) for names and opaque expressions. */
export function literal(n: PyNode, resolve: (name: string) => unknown = () => undefined): unknown {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'list':
      return n.items.map((x) => literal(x, resolve));
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.entries) {
        const key = literal(k, resolve);
        if (typeof key === 'string') out[key] = literal(v, resolve);
      }
      return out;
    }
    case 'name':
      return resolve(n.v);
    case 'bin': {
      const a = literal(n.a, resolve);
      const b = literal(n.b, resolve);
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return n.op === '*' ? a * b : n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '/' ? a / b : undefined;
    }
    default:
      return undefined;
  }
}
