// The project config shared by the CLI and the language server:
// `.llamafactory-lint.yaml` or `[tool.llamafactory-lint]` in pyproject.toml,
// the nearest one from the checked file's folder upward (the ruff and
// yamllint convention). Every mistake in it becomes a `config-invalid`
// diagnostic at its line, never a silent fallback.
import * as path from 'node:path';
// smol-toml declares its types for ES modules only, which TypeScript refuses to load from CommonJS
// (TS1479); the CommonJS build it ships (dist/index.cjs, its `require` export) is what runs.
// @ts-ignore TS1479: see above
import { parse as parseToml, TomlError } from 'smol-toml';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { allCodes } from '../codes';
import { globToRegExp } from '../glob';
import { resolveGpu, suggestGpuIds } from '../hardware/resolve';
import { didYouMeanText, t } from '../l10n';
import { closest } from '../text/similar';
import { makeDiagnostic } from '../types';
import type { ProjectConfig, ProjectSettings, RuleSeverity } from '../types';

export type { ProjectConfig, ProjectSettings };

export const PROJECT_CONFIG_FILES = ['.llamafactory-lint.yaml', '.llamafactory-lint.yml'] as const;
const PYPROJECT = 'pyproject.toml';
const TOOL_TABLE = 'llamafactory-lint';

const KEYS = ['rules', 'gpu', 'gpus', 'files', 'exclude', 'version', 'launch'] as const;
const SEVERITIES: readonly RuleSeverity[] = ['off', 'information', 'warning', 'error'];

/** Where a key or value sits in the file, for a diagnostic. */
type Locate = (keys: readonly string[], value?: boolean) => Diagnostic['range'];

/** Checks the settings object read from either format. */
function readSettings(raw: unknown, locate: Locate, problems: Diagnostic[]): ProjectSettings {
  const settings: ProjectSettings = { rules: {} };
  const problem = (keys: readonly string[], message: string, value = true) =>
    problems.push(makeDiagnostic(locate(keys, value), DiagnosticSeverity.Error, 'config-invalid', message));
  if (raw === null || raw === undefined) return settings;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem([], t('The llamafactory-lint settings must be a mapping of keys such as `rules` and `gpu`.'));
    return settings;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const at = [key];
    switch (key as (typeof KEYS)[number]) {
      case 'rules':
        readRules(value, settings.rules, (keys, message, onValue) => problem([key, ...keys], message, onValue));
        break;
      case 'gpu':
        if (typeof value !== 'string') problem(at, t('`{0}` must be a string.', key));
        else if (value.trim() && !['none', 'off'].includes(value.trim().toLowerCase()) && !resolveGpu(value)) {
          const near = suggestGpuIds(value);
          problem(at, t('No GPU in the catalog is called "{0}".', value) + (near.length ? ` ${t('Did you mean {0}?', near.map((s) => `\`${s}\``).join(', '))}` : ''));
        } else settings.gpu = value;
        break;
      case 'gpus':
        if (typeof value !== 'number' && typeof value !== 'bigint') problem(at, t('`{0}` must be a whole number of at least 1.', key));
        else if (!Number.isInteger(Number(value)) || Number(value) < 1) problem(at, t('`{0}` must be a whole number of at least 1.', key));
        else settings.gpus = Number(value);
        break;
      case 'files':
      case 'exclude': {
        const list = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(list) || !list.every((g): g is string => typeof g === 'string')) problem(at, t('`{0}` must be a list of glob patterns.', key));
        else settings[key as 'files' | 'exclude'] = list;
        break;
      }
      case 'version':
      case 'launch':
        if (typeof value !== 'string' && typeof value !== 'number') problem(at, t('`{0}` must be a string.', key));
        else settings[key as 'version' | 'launch'] = String(value);
        break;
      default:
        problem(at, t('Unknown setting `{0}`; the settings are {1}.', key, KEYS.map((k) => `\`${k}\``).join(', ')) + didYouMeanText(closest(key, KEYS)), false);
    }
  }
  return settings;
}

function readRules(value: unknown, into: Record<string, RuleSeverity>, problem: (keys: readonly string[], message: string, onValue?: boolean) => void): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problem([], t('`rules` must map codes to off, information, warning or error.'));
    return;
  }
  const codes = allCodes();
  for (const [code, severity] of Object.entries(value as Record<string, unknown>)) {
    if (!codes.includes(code)) problem([code], t('Unknown code `{0}`.', code) + didYouMeanText(closest(code, codes)), false);
    else if (typeof severity !== 'string' || !SEVERITIES.includes(severity as RuleSeverity)) {
      problem([code], t('`{0}` must be off, information, warning or error, not {1}.', code, JSON.stringify(severity) ?? String(severity)));
    } else into[code] = severity as RuleSeverity;
  }
}

const START: Diagnostic['range'] = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `.llamafactory-lint.yaml`: the whole file is the settings mapping. */
export function parseYamlProjectConfig(file: string, text: string): ProjectConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const rangeOf = (from: number, to: number): Diagnostic['range'] => {
    const a = lines.linePos(from);
    const b = lines.linePos(to);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const problems: Diagnostic[] = doc.errors.map((e) =>
    makeDiagnostic(rangeOf(e.pos[0], Math.max(e.pos[1], e.pos[0])), DiagnosticSeverity.Error, 'config-invalid', t('{0} is not valid YAML: {1}', path.basename(file), e.message.split('\n')[0])));
  if (problems.length > 0) return { path: file, settings: { rules: {} }, problems };
  const locate: Locate = (keys, value = true) => {
    let node: unknown = doc.contents;
    let keyNode: YamlNode | undefined;
    for (const k of keys) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === k);
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      node = pair.value;
    }
    const target = (value && (isScalar(node) || isMap(node) || isSeq(node)) ? node : keyNode) as YamlNode | undefined;
    return target?.range ? rangeOf(target.range[0], target.range[1]) : START;
  };
  return { path: file, settings: readSettings(doc.toJS(), locate, problems), problems };
}

/** `[tool.llamafactory-lint]` in pyproject.toml; undefined when the file has no such table. */
export function parsePyprojectConfig(file: string, text: string): ProjectConfig | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    // A broken pyproject.toml matters to us only when it holds our table.
    if (!new RegExp(`^\\s*\\[\\s*tool\\.${TOOL_TABLE.replace(/-/g, '\\-')}\\b`, 'm').test(text)) return undefined;
    const line = e instanceof TomlError ? Math.max(0, e.line - 1) : 0;
    const column = e instanceof TomlError ? Math.max(0, e.column - 1) : 0;
    const message = String((e as Error).message).split('\n')[0];
    const at = { line, character: column };
    return { path: file, settings: { rules: {} }, problems: [makeDiagnostic({ start: at, end: at }, DiagnosticSeverity.Error, 'config-invalid', t('{0} is not valid TOML: {1}', PYPROJECT, message))] };
  }
  const tool = data.tool as Record<string, unknown> | undefined;
  if (!tool || typeof tool !== 'object' || !(TOOL_TABLE in tool)) return undefined;
  const problems: Diagnostic[] = [];
  return { path: file, settings: readSettings(tool[TOOL_TABLE], tomlLocator(text), problems), problems };
}

/**
 * Finds a key of our table by reading the lines: smol-toml keeps no positions.
 * `rules.x` may be written in `[tool.llamafactory-lint.rules]` or as a dotted or inline key.
 */
function tomlLocator(text: string): Locate {
  const lines = text.split(/\r?\n/);
  return (keys) => {
    let table = '';
    let found: Diagnostic['range'] | undefined;
    const wanted = keys[keys.length - 1];
    lines.forEach((line, i) => {
      const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
      if (header) {
        table = header[1].replace(/["'\s]/g, '');
        return;
      }
      if (found || !table.startsWith(`tool.${TOOL_TABLE}`)) return;
      const key = keys.length === 0 ? undefined : new RegExp(`(^|[\\s.{,])["']?${wanted.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}["']?\\s*=`).exec(line);
      if (keys.length === 0 || key) {
        const at = key ? key.index + key[1].length : line.search(/\S/);
        found = { start: { line: i, character: Math.max(0, at) }, end: { line: i, character: line.length } };
      }
    });
    return found ?? START;
  };
}

/** Whether `file` is a project config this module reads (so the editor shows its problems). */
export function isProjectConfigFile(file: string): boolean {
  return (PROJECT_CONFIG_FILES as readonly string[]).includes(path.basename(file));
}

/** The nearest project config above `configPath`; `readFile` answers undefined for absent files. */
export function findProjectConfig(readFile: (p: string) => string | undefined, configPath: string): ProjectConfig | undefined {
  for (let dir = path.dirname(configPath); ; dir = path.dirname(dir)) {
    for (const name of PROJECT_CONFIG_FILES) {
      const file = path.join(dir, name);
      const text = readFile(file);
      if (text !== undefined) return parseYamlProjectConfig(file, text);
    }
    const pyproject = path.join(dir, PYPROJECT);
    const text = readFile(pyproject);
    const found = text === undefined ? undefined : parsePyprojectConfig(pyproject, text);
    if (found) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether the project config excludes `file` (globs relative to the project config's folder). */
export function isExcluded(project: ProjectConfig | undefined, file: string): boolean {
  const exclude = project?.settings.exclude;
  if (!project || !exclude?.length) return false;
  const rel = path.relative(path.dirname(project.path), file).split(path.sep).join('/');
  return !rel.startsWith('../') && exclude.some((g) => globMatches(g, rel));
}

/** gitignore-like: a pattern with a slash is anchored at the project folder, one without matches a name anywhere; a folder covers its contents. */
function globMatches(glob: string, rel: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const body = globToRegExp(g).source.replace(/^\(\?:\^\|\\?\/\)/, '').replace(/\$$/, '');
  return new RegExp(`${g.includes('/') ? '^' : '(?:^|/)'}${body}(?:/|$)`).test(rel);
}
