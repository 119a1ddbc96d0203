// What the file arguments of llamafactory-lint stand for: a file, a folder
// searched for YAML files (skipping what .gitignore ignores, node_modules and
// hidden folders), a glob (expanded here, since PowerShell and quoted shell
// arguments do not), or `-` for standard input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { globToRegExp, t } from '../service';

export interface Input {
  /** The name printed in reports: as the user wrote it, or relative to the working folder. */
  name: string;
  /** Absolute path (for standard input: the --stdin-filename, or `stdin.yaml` in the working folder). */
  path: string;
  /** Named on the command line (reported even when it is not a LLaMA-Factory config) or found in a folder or glob. */
  explicit: boolean;
  /** Standard input's text. */
  stdin?: boolean;
}

const YAML_FILE = /\.ya?ml$/i;
const GLOB_MAGIC = /[*?{[]/;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export class InputError extends Error {}

/** The .gitignore files that apply inside `dir`, from the repository root (the folder with .git) down. */
function ignoresAbove(dir: string): { base: string; rules: Ignore }[] {
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  return chain.flatMap((d) => readIgnore(d));
}

function readIgnore(dir: string): { base: string; rules: Ignore }[] {
  try {
    return [{ base: dir, rules: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
  } catch {
    return [];
  }
}

function ignored(file: string, isDir: boolean, ignores: { base: string; rules: Ignore }[]): boolean {
  return ignores.some(({ base, rules }) => {
    const rel = path.relative(base, file).split(path.sep).join('/');
    return rel !== '' && !rel.startsWith('..') && rules.ignores(isDir ? `${rel}/` : rel);
  });
}

/** YAML files under `dir`, in a stable order. */
function walk(dir: string, ignores: { base: string; rules: Ignore }[], found: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const here = [...ignores, ...readIgnore(dir)];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIPPED_DIRS.has(e.name) || e.name.startsWith('.') || ignored(p, true, here)) continue;
      walk(p, here, found);
    } else if (e.isFile() && YAML_FILE.test(e.name) && !ignored(p, false, here)) {
      found.push(p);
    }
  }
}

function display(cwd: string, p: string): string {
  const rel = path.relative(cwd, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
}

/** The leading part of a glob without wildcards: the folder to search. */
function globBase(glob: string): string {
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (GLOB_MAGIC.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '.';
}

/** Expands the arguments; a folder or glob that yields nothing is not an error, a glob that matches nothing is. */
export function expandInputs(args: readonly string[], cwd: string, stdinFilename?: string): Input[] {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  // A file named twice is reported twice, as asked; folders and globs add each file once.
  const add = (input: Input) => {
    if (input.explicit || !seen.has(input.path)) inputs.push(input);
    seen.add(input.path);
  };
  for (const arg of args) {
    if (arg === '-') {
      const p = path.resolve(cwd, stdinFilename ?? 'stdin.yaml');
      add({ name: stdinFilename ?? '<stdin>', path: p, explicit: true, stdin: true });
      continue;
    }
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      const found: string[] = [];
      walk(abs, ignoresAbove(abs), found);
      for (const f of found) add({ name: display(cwd, f), path: f, explicit: false });
    } else if (!stat && GLOB_MAGIC.test(arg)) {
      const pattern = arg.split(path.sep).join('/');
      const base = path.resolve(cwd, globBase(pattern));
      const matcher = new RegExp(`^${globToRegExp(path.posix.normalize(pattern).replace(/^\.\//, '')).source.replace(/^\(\?:\^\|\\?\/\)/, '')}`);
      const found: string[] = [];
      walk(base, ignoresAbove(base), found);
      const matches = found.filter((f) => matcher.test(display(cwd, f)) || matcher.test(f.split(path.sep).join('/')));
      if (matches.length === 0) throw new InputError(t('no files match {0}', arg));
      for (const f of matches) add({ name: display(cwd, f), path: f, explicit: false });
    } else {
      // A file, or a missing one: reading it reports the error.
      add({ name: arg, path: abs, explicit: true });
    }
  }
  return inputs;
}
