// `npm run facts -- <LLaMA-Factory dir> [--transformers <dir>]...` regenerates the
// bundled release table (server/src/service/context/release/releases.json).
// A git checkout of LLaMA-Factory gives every release tag from v0.8.0 on plus
// HEAD as "main", each read with `git show` (no checkout switching); a plain
// source tree (or an installed `llamafactory` package folder) replaces the one
// release its VERSION names ("main" for a .devN snapshot). Each --transformers
// folder (a transformers checkout or installed package) adds the training keys
// of its version. Python is never run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractSource, extractTransformersKeys } from '../server/src/service/context/release/extract';
import type { KeyFact, SourceFacts, SourceReader } from '../server/src/service/context/release/extract';
import { compareVersions } from '../server/src/service/context/release/facts';
import { buildTable, Releases } from '../server/src/service/context/release/table';
import type { ReleaseTable, TableInput } from '../server/src/service/context/release/table';

const root = resolve(__dirname, '../..');
const tablePath = join(root, 'server/src/service/context/release/releases.json');
const schemaPath = join(root, 'schemas/llamafactory-v0.schema.json');
/** The oldest release the table describes. */
const OLDEST = '0.8.0';

function fsReader(pkg: string): SourceReader {
  return {
    read: (rel) => {
      try {
        return readFileSync(join(pkg, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (rel) => {
      try {
        return readdirSync(join(pkg, rel));
      } catch {
        return [];
      }
    },
  };
}

function gitReader(gitDir: string, rev: string, prefix: string): SourceReader {
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    } catch {
      return undefined;
    }
  };
  return {
    read: (rel) => git(['show', `${rev}:${prefix}/${rel}`]),
    list: (rel) => (git(['ls-tree', '--name-only', `${rev}:${prefix}/${rel}`]) ?? '').split('\n').filter(Boolean),
  };
}

/** The package folder inside a checkout or site-packages entry. */
function packageRoot(dir: string, name: string): string | undefined {
  return [join(dir, 'src', name), join(dir, name), dir].find((d) => existsSync(join(d, name === 'llamafactory' ? 'hparams' : 'training_args.py')));
}

function gitDirOf(dir: string): string | undefined {
  if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) return dir; // bare
  const dotGit = join(dir, '.git');
  return existsSync(dotGit) && statSync(dotGit).isDirectory() ? dotGit : undefined;
}

function releasesFromGit(gitDir: string): TableInput[] {
  const tags = execFileSync('git', [`--git-dir=${gitDir}`, 'tag'], { encoding: 'utf8' })
    .split('\n')
    .filter((t) => /^v\d+\.\d+\.\d+$/.test(t) && compareVersions(t.slice(1), OLDEST) >= 0)
    .sort((a, b) => compareVersions(a.slice(1), b.slice(1)));
  const head = execFileSync('git', [`--git-dir=${gitDir}`, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const inputs: TableInput[] = tags.map((tag) => ({ name: tag.slice(1), facts: extractSource(gitReader(gitDir, tag, 'src/llamafactory')) }));
  inputs.push({ name: 'main', commit: head.slice(0, 8), facts: extractSource(gitReader(gitDir, head, 'src/llamafactory')) });
  return inputs;
}

/** The table's releases turned back into extractor output, so one tree can replace one release. */
function inputsFromTable(table: ReleaseTable): TableInput[] {
  const releases = new Releases(table);
  return table.releases.map((r, i) => {
    const f = releases.facts(i);
    const keys: Record<string, KeyFact> = {};
    for (const [name, k] of f.keys) keys[name] = { ...k, cls: '' };
    const facts: SourceFacts = { version: r.version, yaml: r.yaml, keys, transformersTrain: true, templates: [...f.templates], v1Keys: [...f.v1Keys], transformersPin: r.transformersPin };
    return { name: r.name, commit: r.commit, facts };
  });
}

/** Bootstrap only: transformers sets from the v0 schema's per-key availability, until real sources are given. */
function transformersFromSchema(schema: { properties: Record<string, { 'x-llamafactory'?: { transformers?: string[] } }> }): Record<string, string[]> {
  const sets: Record<string, string[]> = {};
  for (const [key, s] of Object.entries(schema.properties)) {
    for (const v of s['x-llamafactory']?.transformers ?? []) (sets[v.replace(/^5\.0-/, '')] ??= []).push(key);
  }
  return sets;
}

function main(argv: string[]): number {
  const tfDirs: string[] = [];
  const lfDirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--transformers') tfDirs.push(argv[++i] ?? '');
    else lfDirs.push(argv[i]);
  }
  if (lfDirs.length !== 1 || tfDirs.some((d) => !d)) {
    console.error('usage: npm run facts -- <LLaMA-Factory checkout or package folder> [--transformers <transformers checkout or package folder>]...');
    return 2;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const existing: ReleaseTable | undefined = existsSync(tablePath) ? JSON.parse(readFileSync(tablePath, 'utf8')) : undefined;
  const transformers = existing?.transformers ?? transformersFromSchema(schema);
  for (const dir of tfDirs) {
    const pkg = packageRoot(resolve(dir), 'transformers');
    if (!pkg) {
      console.error(`no transformers training_args.py under ${dir} (looked in src/transformers, transformers and the folder itself)`);
      return 2;
    }
    const version = /__version__\s*=\s*["']([^"']+)["']/.exec(readFileSync(join(pkg, '__init__.py'), 'utf8'))?.[1] ?? 'unknown';
    transformers[version] = extractTransformersKeys(fsReader(pkg));
  }
  const dir = resolve(lfDirs[0]);
  const gitDir = gitDirOf(dir);
  let inputs: TableInput[];
  let source: string;
  if (gitDir) {
    inputs = releasesFromGit(gitDir);
    source = `LLaMA-Factory tags v${OLDEST}–v${inputs[inputs.length - 2]?.name} and main at ${inputs[inputs.length - 1].commit}`;
  } else {
    const pkg = packageRoot(dir, 'llamafactory');
    if (!pkg) {
      console.error(`no LLaMA-Factory source under ${dir} (looked for src/llamafactory/hparams, llamafactory/hparams and hparams)`);
      return 2;
    }
    const facts = extractSource(fsReader(pkg));
    const name = facts.version && /^\d+\.\d+\.\d+$/.test(facts.version) ? facts.version : 'main';
    inputs = (existing ? inputsFromTable(existing) : []).filter((r) => r.name !== name);
    inputs.push({ name, facts });
    inputs.sort((a, b) => (a.name === 'main' ? 1 : b.name === 'main' ? -1 : compareVersions(a.name, b.name)));
    source = `${existing?.source ?? 'LLaMA-Factory'}; ${name} from a source tree`;
  }
  const table = buildTable(inputs, transformers, source, new Set(Object.keys(schema.properties)));
  writeFileSync(tablePath, `${JSON.stringify(table)}\n`);
  for (const r of inputs) console.log(`${r.name.padEnd(6)} ${String(Object.keys(r.facts.keys).length).padStart(4)} keys, ${r.facts.templates.length} templates, YAML ${r.facts.yaml}`);
  console.log(`wrote ${tablePath}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
