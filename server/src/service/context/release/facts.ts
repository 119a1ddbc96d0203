// The facts of one LLaMA-Factory release, whichever way they were found: read
// from the user's own source tree, or taken from the bundled table.
import type { Command, KeyFact, SourceFacts } from './extract';

export interface ReleaseKey {
  types: string[];
  choices?: unknown[];
  default?: unknown;
  help?: string;
  commands: Command[];
}

export interface ReleaseFacts {
  /** The release as users name it: "0.9.3", "main", or a source tree's VERSION ("0.9.4.dev0"). */
  name: string;
  /** extras/env.py VERSION. */
  version: string;
  yaml: 'pyyaml' | 'omegaconf';
  keys: ReadonlyMap<string, ReleaseKey>;
  /** transformers' training keys the train parser adds (for the transformers this release runs with). */
  transformersKeys: ReadonlySet<string>;
  templates: readonly string[];
  /** Top-level keys of the v1 format; empty when the release has no v1 format. */
  v1Keys: readonly string[];
}

export function releaseKey(k: KeyFact): ReleaseKey {
  const out: ReleaseKey = { types: k.types, commands: k.commands };
  if (k.choices) out.choices = k.choices;
  if ('default' in k) out.default = k.default;
  if (k.help) out.help = k.help;
  return out;
}

/** Facts of a source tree; `transformersKeys` from the same environment, else from the bundled sets. */
export function factsFromSource(src: SourceFacts, transformersKeys: ReadonlySet<string>): ReleaseFacts {
  const version = src.version ?? 'unknown';
  return {
    name: version,
    version,
    yaml: src.yaml,
    keys: new Map(Object.entries(src.keys).map(([k, v]) => [k, releaseKey(v)])),
    transformersKeys,
    templates: src.templates,
    v1Keys: src.v1Keys,
  };
}

/** -1, 0 or 1 comparing dotted versions numerically ("0.9.10" > "0.9.9"); ".devN" sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const m = /^v?(\d+(?:\.\d+)*)(?:\.?(dev|rc)(\d*))?/.exec(v);
    if (!m) return [];
    const nums = m[1].split('.').map(Number);
    while (nums.length < 3) nums.push(0);
    return [...nums, m[2] ? -1 : 0, Number(m[3] || 0)];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
