// Finds, in the workspace, a command line that launches a given config: shell
// scripts, Makefiles, markdown code blocks, and VS Code's launch.json and
// tasks.json. All reads go through the host. The walk is bounded (depth,
// folders, files, size) and its list of candidate files is kept for a few
// seconds; each file's commands are kept while its text is unchanged.
import * as path from 'node:path';
import type { ServiceHost } from '../../types';
import { launchesIn } from './command';
import type { LaunchCommand } from './command';

export interface Discovered {
  command: LaunchCommand;
  /** The command as written. */
  text: string;
  file: string;
  /** 0-based line of the command in `file`. */
  line: number;
}

const MAX_DEPTH = 4;
const MAX_FOLDERS = 300;
const MAX_FILES = 400;
const MAX_FILE_CHARS = 512 * 1024;
const LIST_FRESH_MS = 5000;
const SKIP = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', 'site-packages', 'saves', 'output', 'outputs', 'wandb', 'data', 'models', 'cache', '.cache', 'dist', 'build', 'out']);
const MAKEFILES = new Set(['Makefile', 'makefile', 'GNUmakefile']);

type Kind = 'shell' | 'make' | 'markdown' | 'vscode';

function kindOf(name: string, parent: string): Kind | undefined {
  if (/\.(sh|bash|zsh|slurm|sbatch)$/.test(name)) return 'shell';
  if (MAKEFILES.has(name) || name.endsWith('.mk')) return 'make';
  if (/\.(md|markdown)$/i.test(name)) return 'markdown';
  if ((name === 'launch.json' || name === 'tasks.json') && path.basename(parent) === '.vscode') return 'vscode';
  return undefined;
}

/** Per host (a test's in-memory host is another file system), per key: answers younger than LIST_FRESH_MS. */
const freshBy = new WeakMap<ServiceHost, Map<string, { at: number; value: unknown }>>();

/** `compute()`, or its answer for the same host and key from the last LIST_FRESH_MS: walking the workspace on every keystroke is too slow. */
function fresh<T>(host: ServiceHost, key: string, compute: () => T): T {
  let answers = freshBy.get(host);
  if (!answers) freshBy.set(host, (answers = new Map()));
  const hit = answers.get(key);
  const now = Date.now();
  if (hit && now - hit.at < LIST_FRESH_MS) return hit.value as T;
  const value = compute();
  if (answers.size > 64) answers.clear();
  answers.set(key, { at: now, value });
  return value;
}

/** Candidate files under `root`, breadth first, bounded. */
function candidates(root: string, host: ServiceHost): string[] {
  return fresh(host, `list:${root}`, () => listCandidates(root, host));
}

function listCandidates(root: string, host: ServiceHost): string[] {
  const files: string[] = [];
  let queue: string[] = [root];
  let folders = 0;
  for (let depth = 0; depth <= MAX_DEPTH && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of queue) {
      if (++folders > MAX_FOLDERS) break;
      for (const name of host.listDir(dir).sort()) {
        const p = path.join(dir, name);
        if (kindOf(name, dir)) {
          if (files.length < MAX_FILES) files.push(p);
        } else if ((name === '.vscode' || (!name.includes('.') && !SKIP.has(name))) && host.isDirectory(p)) {
          next.push(p);
        }
      }
    }
    queue = next;
  }
  return files;
}

/** Markdown: the fenced code blocks, each as a script with its first line. */
function markdownBlocks(text: string): { script: string; line: number }[] {
  const out: { script: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  let open: { fence: string; line: number; body: string[] } | undefined;
  lines.forEach((l, i) => {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(l);
    if (!open && fence && (fence[2] === '' || /^(bash|sh|shell|zsh|console|shell-session)$/i.test(fence[2]))) open = { fence: fence[1], line: i + 1, body: [] };
    else if (open && l.trim().startsWith(open.fence)) {
      // A `$ ` prompt in console blocks is not part of the command.
      out.push({ script: open.body.map((b) => b.replace(/^(\s*)\$ /, '$1')).join('\n'), line: open.line });
      open = undefined;
    } else if (open) open.body.push(l);
  });
  return out;
}

/** Makefile recipes: tab-indented lines, `@`/`-` prefixes dropped, `$$` for `$`; make variables stay unknown. */
function makeRecipes(text: string): string {
  return text.split(/\r?\n/).map((l) => (l.startsWith('\t') ? l.slice(1).replace(/^[@-]+/, '').replace(/\$\$/g, '\u0000').replace(/\$\(([^)]*)\)/g, '$${$1}').replace(/\u0000/g, '$') : '')).join('\n');
}

/** JSON with comments and trailing commas (VS Code's files), read without a dependency. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const comment = text.slice(i, end < 0 ? text.length : end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** launch.json configurations and tasks.json tasks as command lines, with the line of their first argument. */
function vscodeCommands(text: string): { script: string; line: number }[] {
  const json = parseJsonc(text) as { configurations?: unknown[]; tasks?: unknown[] } | undefined;
  const items = [...(Array.isArray(json?.configurations) ? json!.configurations : []), ...(Array.isArray(json?.tasks) ? json!.tasks : [])];
  const lines = text.split(/\r?\n/);
  const out: { script: string; line: number }[] = [];
  for (const raw of items) {
    if (!raw || typeof raw !== 'object') continue;
    const item = raw as Record<string, unknown>;
    const args = Array.isArray(item.args) ? item.args.filter((a): a is string => typeof a === 'string') : [];
    const envRecord = (item.env ?? (item.options as Record<string, unknown> | undefined)?.env) as Record<string, unknown> | undefined;
    const env = envRecord && typeof envRecord === 'object' ? Object.entries(envRecord).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${quote(v as string)}`) : [];
    let program: string[];
    if (typeof item.module === 'string') program = ['python', '-m', item.module];
    else if (typeof item.program === 'string') program = ['python', item.program];
    else if (typeof item.command === 'string') program = [item.command];
    else continue;
    // Tasks may hold the whole command line in `command`; it is shell text already.
    const script = [...env, ...program.map((p, i) => (i === 0 && typeof item.command === 'string' ? p : quote(p))), ...args.map(quote)].join(' ');
    const needle = args.find((a) => /\.(ya?ml|json)$/.test(a)) ?? (typeof item.command === 'string' ? item.command : '');
    const at = lines.findIndex((l) => needle !== '' && l.includes(JSON.stringify(needle).slice(1, -1)));
    out.push({ script: script.replace(/\$\{workspaceFolder\}\//g, ''), line: at < 0 ? 0 : at });
  }
  return out;
}

function scriptsOf(file: string, text: string): { script: string; line: number }[] {
  switch (kindOf(path.basename(file), path.dirname(file))) {
    case 'shell':
      return [{ script: text, line: 0 }];
    case 'make':
      return [{ script: makeRecipes(text), line: 0 }];
    case 'markdown':
      return markdownBlocks(text);
    case 'vscode':
      return vscodeCommands(text);
    default:
      return [];
  }
}

const perFile = new Map<string, { text: string; found: Discovered[] }>();

/** Every launch in one file (kept while the file's text is unchanged). */
function launchesInFile(file: string, host: ServiceHost): Discovered[] {
  const text = host.readFile(file);
  if (text === undefined || text.length > MAX_FILE_CHARS) return [];
  const hit = perFile.get(file);
  if (hit && hit.text === text) return hit.found;
  const found: Discovered[] = [];
  for (const { script, line } of scriptsOf(file, text)) {
    for (const { command, shell } of launchesIn(script)) found.push({ command, text: shell.source, file, line: line + shell.line });
  }
  if (perFile.size > 512) perFile.clear();
  perFile.set(file, { text, found });
  return found;
}

/**
 * Whether `written` (the config argument of a command found in `file`) names
 * `configPath`: resolved against the file's folder or a folder above it (the
 * usual launch folder is the checkout root), or a search root.
 */
export function namesConfig(written: string, configPath: string, bases: readonly string[]): boolean {
  const target = path.resolve(configPath);
  if (path.isAbsolute(written)) return path.resolve(written) === target;
  return bases.some((b) => path.resolve(b, written) === target);
}

function folderAndAbove(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The first command in the workspace that launches `configPath`: files nearest the config first. */
export function discoverLaunch(configPath: string, host: ServiceHost): Discovered | undefined {
  return fresh(host, `launch:${path.resolve(configPath)}`, () => searchLaunch(configPath, host));
}

function searchLaunch(configPath: string, host: ServiceHost): Discovered | undefined {
  const configDir = path.dirname(path.resolve(configPath));
  const roots = host.searchRoots().map((r) => path.resolve(r));
  // The config's own folder and the folders up to the workspace root, then each root's tree.
  const within = roots.filter((r) => configDir === r || configDir.startsWith(r + path.sep));
  const stop = within.length ? within.reduce((a, b) => (a.length >= b.length ? a : b)) : configDir;
  const near: string[] = [];
  for (let d = configDir; ; d = path.dirname(d)) {
    near.push(d);
    if (d === stop || path.dirname(d) === d) break;
  }
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const d of near) for (const name of host.listDir(d).sort()) if (kindOf(name, d)) add(path.join(d, name));
  for (const d of near) if (host.isDirectory(path.join(d, '.vscode'))) for (const name of ['launch.json', 'tasks.json']) add(path.join(d, '.vscode', name));
  for (const r of within.length ? within : []) for (const f of candidates(r, host)) add(f);
  for (const file of files) {
    const bases = [...folderAndAbove(path.dirname(file)), ...roots];
    if (path.basename(path.dirname(file)) === '.vscode') bases.unshift(path.dirname(path.dirname(file)));
    const hit = launchesInFile(file, host).find((d) => d.command.config !== undefined && namesConfig(d.command.config, configPath, bases));
    if (hit) return hit;
  }
  return undefined;
}
