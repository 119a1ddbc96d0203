// The bundled release table (releases.json, written by `npm run facts`): for
// every key the releases that accept it, and its types, defaults and choices
// where they changed; templates and v1 keys per release; the YAML loader; and
// transformers' training key sets for the versions the releases pin. Each
// per-release value is stored as change points: [firstReleaseIndex, value],
// valid until the next point; [index] alone means "no literal default".
import type { Command, SourceFacts } from './extract';
import { compareVersions } from './facts';
import type { ReleaseFacts, ReleaseKey } from './facts';

export type Ranges = [number, number][];
type Points<T> = ([number, T] | [number])[];

export interface TableRelease {
  /** "0.9.3" or "main". */
  name: string;
  version: string;
  yaml: 'pyyaml' | 'omegaconf';
  commit?: string;
  transformersPin?: { min?: string; max?: string };
}

export interface TableKey {
  in: Ranges;
  types: Points<string[]>;
  commands: Points<Command[]>;
  default: Points<unknown>;
  choices?: Points<unknown[] | null>;
  /** The newest help text (only for keys main lacks, whose hover has nothing else). */
  help?: string;
}

export interface ReleaseTable {
  source: string;
  releases: TableRelease[];
  keys: Record<string, TableKey>;
  templates: Record<string, Ranges>;
  v1: Record<string, Ranges>;
  /** transformers version → its TrainingArguments + Seq2SeqTrainingArguments keys. */
  transformers: Record<string, string[]>;
}

export interface History {
  since?: string;
  removedIn?: string;
  ranges: Ranges;
}

export interface TableInput {
  name: string;
  commit?: string;
  facts: SourceFacts;
}

/** Builds the table from releases in order (oldest first, main last). */
export function buildTable(inputs: TableInput[], transformers: Record<string, string[]>, source: string, mainKeys: ReadonlySet<string>): ReleaseTable {
  const keys: Record<string, TableKey> = {};
  const names = [...new Set(inputs.flatMap((r) => Object.keys(r.facts.keys)))].sort();
  for (const key of names) {
    const present = inputs.map((r) => r.facts.keys[key]);
    const entry: TableKey = {
      in: ranges(present.map(Boolean)),
      types: points(present, (k) => k.types),
      commands: points(present, (k) => k.commands),
      default: points(present, (k) => k.default),
    };
    if (present.some((k) => k?.choices)) entry.choices = points(present, (k) => k.choices ?? null);
    const newest = [...present].reverse().find(Boolean);
    if (!mainKeys.has(key) && newest?.help) entry.help = newest.help;
    keys[key] = entry;
  }
  const membership = (list: (r: SourceFacts) => readonly string[]): Record<string, Ranges> => {
    const all = [...new Set(inputs.flatMap((r) => list(r.facts)))].sort();
    return Object.fromEntries(all.map((n) => [n, ranges(inputs.map((r) => list(r.facts).includes(n)))]));
  };
  return {
    source,
    releases: inputs.map((r) => {
      const out: TableRelease = { name: r.name, version: r.facts.version ?? r.name, yaml: r.facts.yaml };
      if (r.commit) out.commit = r.commit;
      if (r.facts.transformersPin) out.transformersPin = r.facts.transformersPin;
      return out;
    }),
    keys,
    templates: membership((f) => f.templates),
    v1: membership((f) => f.v1Keys),
    transformers,
  };
}

function ranges(flags: boolean[]): Ranges {
  const out: Ranges = [];
  flags.forEach((on, i) => {
    if (!on) return;
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  });
  return out;
}

function points<K, T>(present: (K | undefined)[], get: (k: K) => T): Points<T> {
  const out: Points<T> = [];
  let last: string | undefined;
  present.forEach((k, i) => {
    if (!k) return;
    const v = get(k);
    const s = v === undefined ? '' : JSON.stringify(v);
    if (s === last) return;
    last = s;
    out.push(v === undefined ? [i] : [i, v]);
  });
  return out;
}

function at<T>(p: Points<T> | undefined, i: number): { found: boolean; value?: T } {
  let hit: [number, T] | [number] | undefined;
  for (const point of p ?? []) if (point[0] <= i) hit = point;
  return hit && hit.length === 2 ? { found: true, value: hit[1] } : { found: false };
}

export function inRanges(r: Ranges | undefined, i: number): boolean {
  return (r ?? []).some(([a, b]) => a <= i && i <= b);
}

/** Reads the table for one release. */
export class Releases {
  private readonly cache = new Map<number, ReleaseFacts>();
  constructor(readonly table: ReleaseTable) {}

  get names(): string[] {
    return this.table.releases.map((r) => r.name);
  }

  /** The newest tagged release (not main). */
  get newest(): string {
    return [...this.table.releases].reverse().find((r) => r.name !== 'main')?.name ?? this.table.releases[0].name;
  }

  /** The index of a release named "0.9.3", "v0.9.3" or "main"; -1 when unknown. */
  indexOf(name: string): number {
    const n = name.trim().replace(/^v(?=\d)/, '');
    return this.table.releases.findIndex((r) => r.name === n);
  }

  facts(index: number): ReleaseFacts {
    let found = this.cache.get(index);
    if (!found) this.cache.set(index, (found = this.build(index)));
    return found;
  }

  private build(i: number): ReleaseFacts {
    const r = this.table.releases[i];
    const keys = new Map<string, ReleaseKey>();
    for (const [name, k] of Object.entries(this.table.keys)) {
      if (!inRanges(k.in, i)) continue;
      const entry: ReleaseKey = { types: at(k.types, i).value ?? [], commands: at(k.commands, i).value ?? [] };
      const def = at(k.default, i);
      if (def.found) entry.default = def.value;
      const choices = at(k.choices, i).value;
      if (choices) entry.choices = choices;
      if (k.help) entry.help = k.help;
      keys.set(name, entry);
    }
    const members = (m: Record<string, Ranges>): string[] => Object.keys(m).filter((n) => inRanges(m[n], i));
    return {
      name: r.name,
      version: r.version,
      yaml: r.yaml,
      keys,
      transformersKeys: this.transformersKeys(r.transformersPin),
      templates: members(this.table.templates),
      v1Keys: members(this.table.v1),
    };
  }

  /**
   * The transformers keys for a pinned range: the union of the bundled sets inside
   * it, else the set nearest to its upper bound.
   */
  transformersKeys(pin: { min?: string; max?: string } | undefined): ReadonlySet<string> {
    const versions = Object.keys(this.table.transformers).sort(compareVersions);
    const inside = versions.filter((v) => (!pin?.min || compareVersions(v, pin.min) >= 0) && (!pin?.max || compareVersions(v, pin.max) <= 0));
    const nearest = pin?.max ? [...versions].reverse().find((v) => compareVersions(v, pin.max as string) <= 0) ?? versions[0] : versions[versions.length - 1];
    const chosen = inside.length > 0 ? inside : nearest ? [nearest] : [];
    return new Set(chosen.flatMap((v) => this.table.transformers[v]));
  }

  /** Where a key (or with `templates`, a chat template) exists: its first release, and the first release after it that no longer has it. */
  history(name: string, what: 'keys' | 'templates' = 'keys'): History | undefined {
    const ranges = what === 'keys' ? this.table.keys[name]?.in : this.table.templates[name];
    if (!ranges?.length) return undefined;
    const names = this.names;
    const last = ranges[ranges.length - 1];
    return {
      since: ranges[0][0] > 0 ? names[ranges[0][0]] : undefined,
      removedIn: last[1] < names.length - 1 ? names[last[1] + 1] : undefined,
      ranges,
    };
  }
}
