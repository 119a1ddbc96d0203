// The import graph of server/src and client/src, read from the import statements:
// modules import only their own layer or lower ones, no two modules import each
// other (directly or round a longer loop), and the glue (server, CLI, client)
// reaches the service only through its public modules.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../vendored';

/**
 * The layers, lowest first, after the architecture guide: the document, then what the schema says
 * about keys, the values read through it (Python truthiness, schema defaults, so above the schema),
 * the facts of the world a config runs in (files, datasets and their scanned data, GPUs, models, v1 plugin blocks), the
 * precision guide's text, the memory estimator, the rules (which may price a config with the
 * estimator, never the other way round), the analysis pipeline, the features, the public index,
 * and the glue. Each module is a list of path prefixes relative to the repository root.
 */
const LAYERS: Record<string, string[]>[] = [
  { base: ['server/src/service/types', 'server/src/service/l10n', 'server/src/service/memo', 'server/src/service/glob', 'server/src/service/text/', 'server/src/service/facts/', 'server/src/service/presets'] },
  { document: ['server/src/service/document', 'server/src/service/classify', 'server/src/service/entry-scan', 'server/src/service/scalars', 'server/src/service/suppress', 'server/src/service/edits', 'server/src/service/fixes'] },
  { schema: ['server/src/service/schema/'] },
  { values: ['server/src/service/values'] },
  {
    files: ['server/src/service/files', 'server/src/service/datasets'],
    data: ['server/src/service/context/data/'],
    hardware: ['server/src/service/hardware/'],
    models: ['server/src/service/models/'],
    v1: ['server/src/service/v1/'],
  },
  { context: ['server/src/service/context/'] },
  { guide: ['server/src/service/guide/'] },
  { memory: ['server/src/service/memory/'] },
  { rules: ['server/src/service/rules/'] },
  { project: ['server/src/service/codes', 'server/src/service/project/'] },
  { analyze: ['server/src/service/analyze'] },
  { features: ['server/src/service/features/', 'server/src/service/presentation'] },
  { index: ['server/src/service/index'] },
  { glue: ['server/src/'] },
  { client: ['client/src/'] },
];

/** What the glue may import of the service: its public modules. */
const PUBLIC = {
  glue: ['server/src/service/index.ts'],
  client: ['server/src/protocol.ts', 'server/src/service/presentation.ts'],
};

/**
 * Imports that break the rules today and belong to other work; each names the issue. Whoever
 * lands the fix deletes its line here (the test fails while a listed import no longer exists).
 */
const KNOWN: string[] = [
];

const moduleOf = new Map<string, { name: string; layer: number; prefix: string }>();
LAYERS.forEach((mods, layer) => {
  for (const [name, prefixes] of Object.entries(mods)) for (const prefix of prefixes) moduleOf.set(prefix, { name, layer, prefix });
});

/** The module of a file: the longest matching prefix. */
function place(file: string): { name: string; layer: number } {
  let best: { name: string; layer: number; prefix: string } | undefined;
  for (const m of moduleOf.values()) if (file.startsWith(m.prefix) && (!best || m.prefix.length > best.prefix.length)) best = m;
  // The glue prefix covers server/src/*; a service file must have a module of its own.
  if (!best || (best.name === 'glue' && file.startsWith('server/src/service/'))) throw new Error(`${file} belongs to no layer: add it to LAYERS`);
  return best;
}

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** The relative specifiers of every import/export-from statement (multi-line ones included) and bare import. */
function specifiers(text: string): string[] {
  const from = /^\s*(?:import|export)\b[^;'"()=]*?\bfrom\s*'(\.[^']*)'/gm;
  const bare = /^\s*import\s*'(\.[^']*)'/gm;
  return [...text.matchAll(from), ...text.matchAll(bare)].map((m) => m[1]);
}

/** The file a relative specifier names, as a repository path (JSON data included). */
function resolve(from: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (existsSync(path.join(repoRoot, candidate))) return candidate;
  throw new Error(`${from} imports ${spec}, which does not exist`);
}

const files = [...sources('server/src'), ...sources('client/src')];
const edges = files.flatMap((from) => specifiers(readFileSync(path.join(repoRoot, from), 'utf8')).map((spec) => ({ from, to: resolve(from, spec) })));
const label = (e: { from: string; to: string }) => `${e.from} -> ${e.to}`;
const inRepoCode = (e: { to: string }) => e.to.startsWith('server/src/') || e.to.startsWith('client/src/');

test('the import reader sees the imports (control)', () => {
  assert.ok(files.length > 50, `${files.length} files`);
  assert.ok(edges.some((e) => label(e) === 'server/src/service/analyze.ts -> server/src/service/rules/index.ts'));
  // A multi-line import (from { ... } over several lines) is read too.
  const sample = "import {\n  a,\n  b,\n} from './x';\nimport type { C } from '../y';\nexport { d } from './z';\nexport const e = f.split('.');\nimport './w';\n";
  assert.deepEqual(specifiers(sample), ['./x', '../y', './z', './w']);
});

test('no module imports a higher layer', () => {
  const upward = edges
    .filter(inRepoCode)
    .filter((e) => place(e.to).layer > place(e.from).layer)
    .map(label)
    .filter((l) => !KNOWN.includes(l));
  assert.deepEqual(upward, []);
});

test('the glue reaches the service only through its public modules', () => {
  const reaching = edges
    .filter((e) => e.to.startsWith('server/src/service/'))
    .filter((e) => {
      const where = place(e.from).name;
      return (where === 'glue' && !PUBLIC.glue.includes(e.to)) || (where === 'client' && !PUBLIC.client.includes(e.to));
    })
    .map(label)
    .filter((l) => !KNOWN.includes(l));
  assert.deepEqual(reaching, []);
  const clientReach = edges.filter((e) => place(e.from).name === 'client' && e.to.startsWith('server/')).map((e) => e.to);
  assert.deepEqual([...new Set(clientReach)].filter((to) => !PUBLIC.client.includes(to)), []);
});

test('no two modules depend on each other, directly or round a loop', () => {
  const graph = new Map<string, Set<string>>();
  for (const e of edges.filter(inRepoCode)) {
    if (KNOWN.includes(label(e))) continue;
    const [a, b] = [place(e.from).name, place(e.to).name];
    if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  assert.deepEqual(cycles, []);
});

test('every known exception still exists (delete its line when the import is gone)', () => {
  const present = new Set(edges.map(label));
  assert.deepEqual(KNOWN.filter((l) => !present.has(l)), []);
});
