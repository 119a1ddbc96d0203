// Reads the facts the tool needs from an LLaMA-Factory source tree, without
// Python: the keys each command's HfArgumentParser accepts (parser.py's
// _TRAIN_ARGS / _INFER_ARGS / _EVAL_ARGS over the dataclasses in hparams/),
// their types, choices and defaults, the chat templates registered in
// data/template.py, how read_args loads YAML, VERSION from extras/env.py and
// the v1 format's keys (v1/config/). Also transformers' TrainingArguments keys.
// Every path is relative to the package folder (`src/llamafactory` in a
// checkout, `llamafactory` in site-packages) and read through `read`.
import { readModule } from './dataclasses';
import type { PyClass, PyField, PyModule } from './dataclasses';
import { literal, logicalLines } from './python-source';
import type { PyNode } from './python-source';

/** `mbridge`: the train parser LLaMA-Factory uses with USE_MEGATRON_BRIDGE=1. */
export type Command = 'train' | 'infer' | 'eval' | 'mbridge';

export interface KeyFact {
  /** JSON Schema types the annotation allows ([] = anything). */
  types: string[];
  /** Allowed values (Literal[...] or an Enum's values). */
  choices?: unknown[];
  /** The default when it is a literal (or an Enum member, a*b); absent when required or computed. */
  default?: unknown;
  help?: string;
  /** Dataclass that declares it. */
  cls: string;
  commands: Command[];
}

export interface SourceFacts {
  /** extras/env.py VERSION, e.g. "0.9.3" or "0.9.6.dev0". */
  version?: string;
  /** How read_args loads a YAML config: PyYAML's safe_load (≤ 0.9.3) or OmegaConf.load (≥ 0.9.4). */
  yaml: 'pyyaml' | 'omegaconf';
  keys: Record<string, KeyFact>;
  /** Whether the train parser includes transformers' (Seq2Seq)TrainingArguments. */
  transformersTrain: boolean;
  templates: string[];
  /** Top-level keys of the v1 format; [] when the release has no v1. */
  v1Keys: string[];
  /** The transformers range extras/misc.py checks at launch (`>=4.41.2,<=4.45.0`), when found. */
  transformersPin?: { min?: string; max?: string };
}

export interface SourceReader {
  /** A file's text relative to the package folder, or undefined. */
  read(rel: string): string | undefined;
  /** File names in a folder relative to the package folder ([] when missing). */
  list(rel: string): string[];
}

const PARSE_SETS: Record<string, Command> = { _TRAIN_ARGS: 'train', _INFER_ARGS: 'infer', _EVAL_ARGS: 'eval', _TRAIN_MBRIDGE_ARGS: 'mbridge' };

export function extractSource(reader: SourceReader): SourceFacts {
  const scope = new Scope(reader);
  const hparams = reader.list('hparams').filter((n) => n.endsWith('.py'));
  for (const n of hparams) scope.load(`hparams/${n}`);
  const parser = scope.load('hparams/parser.py');
  const keys: Record<string, KeyFact> = {};
  let transformersTrain = false;
  for (const [name, command] of Object.entries(PARSE_SETS)) {
    const set = parser?.assignments.get(name);
    if (set?.k !== 'list') continue;
    for (const item of set.items) {
      if (item.k !== 'name') continue;
      const found = scope.dataclass(item.v);
      if (!found) {
        if (command === 'train' && /TrainingArguments$/.test(item.v)) transformersTrain = true;
        continue;
      }
      const { fields, external } = scope.fieldsOf(found.cls, found.file);
      if (command === 'train' && external.some((b) => /TrainingArguments$/.test(b))) transformersTrain = true;
      for (const { field, file, cls } of fields) {
        const fact = (keys[field.name] ??= scope.keyFact(field, file, cls));
        if (!fact.commands.includes(command)) fact.commands.push(command);
      }
    }
  }
  const parserText = reader.read('hparams/parser.py') ?? '';
  return {
    version: /^VERSION\s*=\s*["']([^"']+)["']/m.exec(reader.read('extras/env.py') ?? '')?.[1],
    yaml: /OmegaConf\.load\(/.test(parserText) ? 'omegaconf' : 'pyyaml',
    keys,
    transformersTrain,
    templates: templateNames(reader.read('data/template.py') ?? ''),
    v1Keys: v1Keys(reader, scope),
    transformersPin: transformersPin(reader.read('extras/misc.py') ?? ''),
  };
}

function transformersPin(src: string): SourceFacts['transformersPin'] {
  const spec = /["']transformers((?:[<>=!]=?[\d.]+,?)+)/.exec(src)?.[1];
  if (!spec) return undefined;
  return { min: />=([\d.]+)/.exec(spec)?.[1], max: /<=([\d.]+)/.exec(spec)?.[1] };
}

/** Names passed as `name="..."` to register_template / _register_template calls. */
export function templateNames(src: string): string[] {
  const names = new Set<string>();
  for (const ln of logicalLines(src)) {
    const t = ln.tokens;
    for (let i = 0; i + 4 < t.length; i++) {
      if (t[i].k === 'name' && /^_?register_template$/.test(t[i].v as string) && t[i + 1].v === '(' && t[i + 2].v === 'name' && t[i + 3].v === '=' && t[i + 4].k === 'str') {
        names.add(t[i + 4].v as string);
      }
    }
  }
  return [...names];
}

function v1Keys(reader: SourceReader, scope: Scope): string[] {
  const files = reader.list('v1/config').filter((n) => /_args\.py$/.test(n));
  const keys = new Set<string>();
  for (const n of files) {
    const mod = scope.load(`v1/config/${n}`);
    for (const cls of mod?.classes.values() ?? []) {
      if (!cls.dataclass) continue;
      for (const f of scope.fieldsOf(cls, `v1/config/${n}`).fields) keys.add(f.field.name);
    }
  }
  return [...keys].sort();
}

/** transformers' training keys: TrainingArguments + Seq2SeqTrainingArguments, from the `transformers` package folder. */
export function extractTransformersKeys(reader: SourceReader): string[] {
  const scope = new Scope(reader);
  const keys = new Set<string>();
  for (const file of ['training_args.py', 'training_args_seq2seq.py']) {
    scope.load(file);
    const found = scope.dataclass(file === 'training_args.py' ? 'TrainingArguments' : 'Seq2SeqTrainingArguments');
    if (found) for (const f of scope.fieldsOf(found.cls, found.file).fields) keys.add(f.field.name);
  }
  return [...keys].sort();
}

interface Located {
  field: PyField;
  file: string;
  cls: string;
}

const BUILTIN_TYPES: Record<string, string[]> = {
  int: ['integer'], float: ['number'], str: ['string'], bool: ['boolean'],
  dict: ['object'], Dict: ['object'], list: ['array'], List: ['array'], tuple: ['array'], Tuple: ['array'],
};

/** Parsed modules by path, and name resolution across them (in-package imports only). */
class Scope {
  private readonly modules = new Map<string, { mod: PyModule | undefined; whole: boolean }>();
  constructor(private readonly reader: SourceReader) {}

  /** A module of the package, parsed once; `whole: false` when only its classes and imports are needed. */
  load(file: string, whole = true): PyModule | undefined {
    const hit = this.modules.get(file);
    if (hit && (hit.whole || !whole)) return hit.mod;
    const text = this.reader.read(file);
    const mod = text === undefined ? undefined : readModule(text, !whole);
    this.modules.set(file, { mod, whole });
    return mod;
  }

  /** A dataclass by name among the loaded modules. */
  dataclass(name: string): { cls: PyClass; file: string } | undefined {
    for (const [file, { mod }] of this.modules) {
      const cls = mod?.classes.get(name);
      if (cls?.dataclass) return { cls, file };
    }
    return undefined;
  }

  /** A class visible from `file` under `name`: defined there, or imported from a module of the package. */
  resolve(name: string, file: string): { cls: PyClass; file: string } | undefined {
    const mod = this.load(file, false);
    const own = mod?.classes.get(name);
    if (own) return { cls: own, file };
    const imp = mod?.imports.get(name);
    const base = imp && modulePath(file, imp.module);
    if (!base || !imp) return undefined;
    // `from .x import Y`: x is a module file or a package folder.
    // Only the classes of a module reached through an import are read.
    const target = this.load(`${base}.py`, false) ? `${base}.py` : `${base}/__init__.py`;
    const cls = this.load(target, false)?.classes.get(imp.name);
    return cls ? { cls, file: target } : undefined;
  }

  /** Fields HfArgumentParser sees for a dataclass: bases first (reverse MRO), later definitions win, init=False dropped. */
  fieldsOf(cls: PyClass, file: string, seen = new Set<string>()): { fields: Located[]; external: string[] } {
    const byName = new Map<string, Located>();
    const external: string[] = [];
    seen.add(cls.name);
    for (const base of [...cls.bases].reverse()) {
      const found = seen.has(base) ? undefined : this.resolve(base, file);
      if (!found?.cls.dataclass) {
        external.push(base);
        continue;
      }
      const inner = this.fieldsOf(found.cls, found.file, seen);
      external.push(...inner.external);
      for (const f of inner.fields) byName.set(f.field.name, f);
    }
    for (const field of cls.fields) {
      byName.delete(field.name);
      byName.set(field.name, { field, file, cls: cls.name });
    }
    return { fields: [...byName.values()].filter((f) => f.field.init), external };
  }

  keyFact(field: PyField, file: string, cls: string): KeyFact {
    const { types, choices } = this.typeOf(field.annotation, file);
    const fact: KeyFact = { types, cls, commands: [] };
    if (choices) fact.choices = choices;
    const value = field.default ? literal(field.default, (n) => this.member(n, file)) : field.factory ? factoryDefault(field.factory) : undefined;
    if (value !== undefined) fact.default = value;
    if (field.help) fact.help = field.help;
    return fact;
  }

  /** `Enum.MEMBER` → its value. */
  private member(dotted: string, file: string): unknown {
    const [cls, member] = dotted.split('.');
    return member ? this.resolve(cls, file)?.cls.members[member] : undefined;
  }

  typeOf(n: PyNode, file: string): { types: string[]; choices?: unknown[]; nullable?: boolean } {
    if (n.k === 'lit' && n.v === null) return { types: ['null'] };
    if (n.k === 'lit' && typeof n.v === 'string') return this.typeOf({ k: 'name', v: n.v }, file); // "ForwardRef"
    if (n.k === 'name') {
      const simple = n.v.replace(/^typing\./, '');
      if (BUILTIN_TYPES[simple]) return { types: BUILTIN_TYPES[simple] };
      const enumCls = this.resolve(simple, file)?.cls;
      const values = enumCls ? Object.values(enumCls.members).filter((v) => v !== undefined) : [];
      if (values.length > 0) return { types: jsonTypes(values), choices: values };
      return { types: [] };
    }
    if (n.k === 'bin' && n.op === '|') return union([this.typeOf(n.a, file), this.typeOf(n.b, file)]);
    if (n.k === 'sub' && n.base.k === 'name') {
      const base = n.base.v.replace(/^typing\./, '');
      if (base === 'Literal') {
        const values = n.items.map((i) => literal(i));
        return { types: jsonTypes(values), choices: values };
      }
      if (base === 'Optional') return union([this.typeOf(n.items[0], file), { types: ['null'] }]);
      if (base === 'Union') return union(n.items.map((i) => this.typeOf(i, file)));
      return this.typeOf({ k: 'name', v: base }, file);
    }
    return { types: [] };
  }
}

function union(parts: { types: string[]; choices?: unknown[] }[]): { types: string[]; choices?: unknown[] } {
  if (parts.some((p) => p.types.length === 0)) return { types: [] };
  const types = [...new Set(parts.flatMap((p) => p.types))];
  const withChoices = parts.filter((p) => !(p.types.length === 1 && p.types[0] === 'null'));
  if (withChoices.length > 0 && withChoices.every((p) => p.choices)) {
    const choices = withChoices.flatMap((p) => p.choices as unknown[]);
    if (types.includes('null')) choices.push(null);
    return { types, choices };
  }
  return { types };
}

function jsonTypes(values: unknown[]): string[] {
  const types = new Set<string>();
  for (const v of values) types.add(v === null ? 'null' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  return [...types];
}

function factoryDefault(n: PyNode): unknown {
  if (n.k !== 'name') return undefined;
  return n.v === 'list' ? [] : n.v === 'dict' ? {} : undefined;
}

/** `..extras.constants` seen from `hparams/model_args.py` → `extras/constants` (no extension); absolute `llamafactory.x` too. */
export function modulePath(fromFile: string, module: string): string | undefined {
  let rel = module;
  const dir = fromFile.split('/').slice(0, -1);
  if (module.startsWith('.')) {
    const dots = /^\.+/.exec(module)?.[0].length ?? 0;
    if (dots - 1 > dir.length) return undefined;
    const base = dir.slice(0, dir.length - (dots - 1));
    rel = [...base, ...module.slice(dots).split('.').filter(Boolean)].join('/');
  } else if (module.startsWith('llamafactory.')) {
    rel = module.slice('llamafactory.'.length).split('.').join('/');
  } else {
    return undefined;
  }
  return rel;
}
