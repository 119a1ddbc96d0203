// Python dataclasses and Enum classes of a module, read from its logical lines:
// the shape HfArgumentParser turns into accepted config keys. A field is
// `name: Annotation = field(default=..., metadata={"help": ...})` or a plain
// default; `init=False` fields are not arguments (dataclasses.fields with
// init=False are skipped by HfArgumentParser's _add_dataclass_arguments).
import { literal, logicalLines, parseExpr } from './python-source';
import type { LogicalLine, PyNode, Token } from './python-source';

export interface PyField {
  name: string;
  annotation: PyNode;
  /** The `default=` / plain default node; undefined for a required field. */
  default?: PyNode;
  /** `default_factory=`: list/dict give [] / {}; anything else is opaque. */
  factory?: PyNode;
  init: boolean;
  help?: string;
}

export interface PyClass {
  name: string;
  bases: string[];
  dataclass: boolean;
  fields: PyField[];
  /** Enum members (NAME = "value") for classes with an Enum base. */
  members: Record<string, unknown>;
}

export interface PyModule {
  classes: Map<string, PyClass>;
  /** `from X import A as B` → B: { module: X, name: A }. */
  imports: Map<string, { module: string; name: string }>;
  /** Module-level `NAME = expr` assignments. */
  assignments: Map<string, PyNode>;
  lines: LogicalLine[];
}

/**
 * Top-level statements that can hold a class, an import or a decorator; the others (assignments,
 * calls such as extras/constants.py's hundreds of register_model_group(...)) are not read when
 * only the module's classes are wanted.
 */
const HOLDS_CLASSES = new Set(['class', 'def', 'async', 'if', 'elif', 'else', 'try', 'except', 'finally', 'with', 'for', 'while', 'match', 'from', '@']);
const holdsClasses = (first: Token): boolean => (first.k === 'name' || first.k === 'op') && HOLDS_CLASSES.has(first.v);

/** A module's classes, imports and top-level assignments; with `classesOnly`, its assignments are left out. */
export function readModule(src: string, classesOnly = false): PyModule {
  const lines = logicalLines(src, classesOnly ? holdsClasses : undefined);
  const mod: PyModule = { classes: new Map(), imports: new Map(), assignments: new Map(), lines };
  let decorated = false;
  for (let i = 0; i < lines.length; i++) {
    const ln = lines[i];
    const [first, second] = ln.tokens;
    if (ln.indent === 0 && first.v === 'from') readImport(ln, mod);
    if (first.v === '@') {
      decorated ||= ln.tokens[1]?.v === 'dataclass' || ln.tokens[3]?.v === 'dataclass';
      continue;
    }
    if (first.v === 'class' && second?.k === 'name') {
      const cls = readClass(lines, i, decorated);
      mod.classes.set(cls.name, cls);
    } else if (ln.indent === 0 && first.k === 'name' && second?.v === '=') {
      mod.assignments.set(first.v as string, parseExpr(ln.tokens, 2)[0]);
    }
    decorated = false;
  }
  return mod;
}

function readImport(ln: LogicalLine, mod: PyModule): void {
  const t = ln.tokens;
  let i = 1;
  let module = '';
  while (i < t.length && t[i].v !== 'import') module += String(t[i++].v);
  for (i++; i < t.length; i++) {
    if (t[i].k !== 'name') continue;
    const name = t[i].v as string;
    const alias = t[i + 1]?.v === 'as' && t[i + 2]?.k === 'name' ? (t[i + 2].v as string) : name;
    if (alias !== name) i += 2;
    mod.imports.set(alias, { module, name });
  }
}

function readClass(lines: LogicalLine[], at: number, dataclass: boolean): PyClass {
  const head = lines[at];
  const name = head.tokens[1].v as string;
  const bases: string[] = [];
  if (head.tokens[2]?.v === '(') {
    const [node] = parseExpr(head.tokens, 1); // name(…) reads as a call: its arguments are the bases
    if (node.k === 'call') for (const b of node.args) if (b.k === 'name') bases.push(b.v);
  }
  const cls: PyClass = { name, bases, dataclass, fields: [], members: {} };
  const isEnum = bases.some((b) => /Enum$/.test(b));
  const body = lines[at + 1];
  if (!body || body.indent <= head.indent) return cls;
  for (let i = at + 1; i < lines.length && lines[i].indent > head.indent; i++) {
    const ln = lines[i];
    if (ln.indent !== body.indent) continue; // method bodies and nested blocks
    const t = ln.tokens;
    if (t[0].k !== 'name' || ['def', 'class', 'async', 'if', 'for', 'return'].includes(t[0].v as string)) continue;
    if (isEnum && t[1]?.v === '=') {
      cls.members[t[0].v as string] = literal(parseExpr(t, 2)[0]);
    } else if (dataclass && t[1]?.v === ':') {
      const f = readField(ln);
      if (f) cls.fields.push(f);
    }
  }
  return cls;
}

function readField(ln: LogicalLine): PyField | undefined {
  const t = ln.tokens;
  const [annotation, j] = parseExpr(t, 2);
  if (annotation.k === 'name' && /(^|\.)ClassVar$/.test(annotation.v)) return undefined;
  if (annotation.k === 'sub' && annotation.base.k === 'name' && /(^|\.)ClassVar$/.test(annotation.base.v)) return undefined;
  const field: PyField = { name: t[0].v as string, annotation, init: true };
  if (t[j]?.v !== '=') return field;
  const [value] = parseExpr(t, j + 1);
  if (value.k === 'call' && value.fn.k === 'name' && /(^|\.)field$/.test(value.fn.v)) {
    const kw = value.kwargs;
    if (kw.default) field.default = kw.default;
    if (kw.default_factory) field.factory = kw.default_factory;
    if (kw.init && literal(kw.init) === false) field.init = false;
    const meta = kw.metadata ? literal(kw.metadata) : undefined;
    const help = meta && typeof meta === 'object' ? (meta as Record<string, unknown>).help : undefined;
    if (typeof help === 'string') field.help = help;
  } else {
    field.default = value;
  }
  return field;
}
