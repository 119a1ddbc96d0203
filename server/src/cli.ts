// llamafactory-lint: the language service from a terminal, CI or pre-commit.
// Flags and the JSON shape are a contract that outside checks rely on: add
// fields, never rename or drop them. Everything the command knows about
// configs comes through the LanguageService API (./service).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseArgs, requestedLocale, usage, UsageError } from './cli/args';
import type { CliOptions } from './cli/args';
import { formatGithub, formatSarif, formatText } from './cli/formats';
import type { FileReport, Severity } from './cli/formats';
import { expandInputs, InputError } from './cli/inputs';
import type { Input } from './cli/inputs';
import { readRulePage, rulePageSummary } from './cli/rule-pages';
import { createNodeHost } from './nodeHost';
import { allCodes, codeDocUrl, createLanguageService, describeRelease, launchSummary, setLocale, similarCodes, t } from './service';
import type { LanguageService, MemoryEstimateResult, ProjectConfig, ServiceSettings } from './service';
import manifest from '../../package.json';
import { version } from './version';

export type { CliOptions, FileReport };
export { parseArgs, requestedLocale };

const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
/** ESLint's bound on repeated fix passes: a fix can uncover another one, but never forever. */
const MAX_FIX_PASSES = 10;

interface Io {
  write: (s: string) => void;
  warn: (s: string) => void;
  color: boolean;
  cwd: string;
  readStdin: () => string;
}

function estimateText(file: string, e: MemoryEstimateResult | null): string {
  if (!e) return `${file}: ${t('no memory estimate (not a training config, or the model is unknown)')}\n`;
  const body = e.markdown.replace(/\*\*/g, '').split('\n').map((l) => `  ${l}`).join('\n');
  return `${file}: ${e.summary}\n${body}\n`;
}

function closestCodes(code: string): string {
  const near = similarCodes(code);
  return near.length ? ` ${t('Did you mean {0}?', near.map((c) => `\`${c}\``).join(', '))}` : '';
}

function listRules(io: Io, json: boolean): number {
  const rows = allCodes().map((code) => ({ code, url: codeDocUrl(code), summary: rulePageSummary(code) ?? '' }));
  if (json) io.write(`${JSON.stringify(rows, null, 2)}\n`);
  else for (const r of rows) io.write(`${r.code.padEnd(36)} ${r.summary}\n`);
  return 0;
}

function listGpus(service: LanguageService, io: Io, json: boolean): number {
  const gpus = service.gpus();
  if (json) io.write(`${JSON.stringify(gpus, null, 2)}\n`);
  else for (const g of gpus) io.write(`${g.id.padEnd(24)} ${String(g.memoryGiB).padStart(5)} GiB  ${g.name}\n`);
  return 0;
}

function explain(code: string, io: Io): number {
  if (!allCodes().includes(code)) {
    io.warn(`llamafactory-lint: ${t('unknown code {0}', code)}${closestCodes(code)}\n`);
    return 2;
  }
  io.write(readRulePage(code) ?? `${code}: ${codeDocUrl(code)}\n`);
  return 0;
}

/** Reports a project config's mistakes once, as `file:line:col error config-invalid message`. */
function reportProjectProblems(project: ProjectConfig, io: Io, seen: Set<string>): boolean {
  if (project.problems.length === 0) return false;
  if (seen.has(project.path)) return true;
  seen.add(project.path);
  const name = path.relative(io.cwd, project.path) || project.path;
  for (const p of project.problems) io.warn(`${name}:${p.range.start.line + 1}:${p.range.start.character + 1} error ${String(p.code)} ${p.message}\n`);
  return true;
}

function toReport(file: string, kind: FileReport['kind'], diagnostics: Diagnostic[], quiet: boolean): FileReport {
  const all = diagnostics.map((d) => ({ range: d.range, severity: SEVERITY[d.severity ?? 1], code: String(d.code ?? ''), message: typeof d.message === 'string' ? d.message : String(d.message) }));
  return { file, kind, diagnostics: quiet ? all.filter((d) => d.severity === 'error') : all, estimate: null };
}

/** The codes of the problems that disappeared between two analyses, one entry per problem. */
function removedCodes(before: Diagnostic[], after: Diagnostic[]): string[] {
  const left = new Map<string, number>();
  for (const d of after) left.set(String(d.code), (left.get(String(d.code)) ?? 0) + 1);
  const removed: string[] = [];
  for (const d of before) {
    const code = String(d.code);
    const n = left.get(code) ?? 0;
    if (n > 0) left.set(code, n - 1);
    else removed.push(code);
  }
  return removed;
}

async function lint(opts: CliOptions, io: Io): Promise<number> {
  // One run: the files a config names do not change while it lints.
  const service = createLanguageService(createNodeHost(undefined, 60_000));
  if (opts.gpu && !['none', 'off'].includes(opts.gpu.trim().toLowerCase())) {
    const gpu = service.resolveGpu(opts.gpu);
    if (!gpu.id) {
      const near = gpu.suggestions.length ? ` ${t('Did you mean {0}?', gpu.suggestions.join(', '))}` : '';
      io.warn(`llamafactory-lint: ${t('unknown GPU "{0}".', opts.gpu)}${near} ${t('--list-gpus prints every id.')}\n`);
      return 2;
    }
  }
  for (const code of Object.keys(opts.rules)) {
    if (!allCodes().includes(code)) {
      io.warn(`llamafactory-lint: ${t('unknown code {0}', code)}${closestCodes(code)}\n`);
      return 2;
    }
  }
  const problem = opts.release && service.checkReleaseChoice(opts.release, io.cwd);
  if (problem) {
    io.warn(`llamafactory-lint: ${problem}\n`);
    return 2;
  }
  let inputs: Input[];
  try {
    inputs = expandInputs(opts.files, io.cwd, opts.stdinFilename);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.warn(`llamafactory-lint: ${e.message}\n`);
    return 2;
  }
  const explicit: Partial<ServiceSettings> = { rules: opts.rules, ...(opts.gpu ? { gpu: opts.gpu } : {}), ...(opts.gpusGiven ? { gpuCount: opts.gpus } : {}) };
  const target = { gpuSource: opts.gpu ? ('cli' as const) : ('setting' as const), gpuCountGiven: opts.gpusGiven, launch: opts.launch, releaseChoice: opts.release };
  const reports: FileReport[] = [];
  const badConfigs = new Set<string>();
  // Each distinct "LLaMA-Factory 0.9.3 (from .venv)" once per run, on stderr (stdout keeps one line per diagnostic).
  const releases = new Set<string>();
  let status = 0;
  let warnings = 0;
  for (const input of inputs) {
    if (service.isExcluded(input.path)) continue;
    let text: string;
    try {
      text = input.stdin ? io.readStdin() : fs.readFileSync(input.path, 'utf8');
    } catch (e) {
      io.warn(`llamafactory-lint: ${t('cannot read {0}: {1}', input.name, (e as NodeJS.ErrnoException).code ?? String(e))}\n`);
      status = 2;
      continue;
    }
    const settings = service.settingsFor(input.path, explicit);
    if (settings.project && reportProjectProblems(settings.project, io, badConfigs)) status = 2;
    const doc = { uri: pathToFileURL(input.path).toString(), configPath: input.path };
    const analyse = async (current: string) => {
      service.analyze({ ...doc, text: current }, settings, target);
      // The first analysis queues scans of the dataset files the config names; the second sees them.
      await service.data.idle();
      return service.analyze({ ...doc, text: current }, settings, target);
    };
    let a = await analyse(text);
    // Folders and globs report LLaMA-Factory configs only; other YAML stays silent.
    if (!input.explicit && a.kind === 'other') continue;
    let fixed: string[] | undefined;
    if (opts.fix && a.kind !== 'other') {
      const before = a.diagnostics;
      const original = text;
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const edits = service.fixAll(a.context, a.diagnostics, { unsafe: opts.unsafe });
        const next = edits.length ? service.applyEdits(a.doc, edits) : text;
        if (next === text) break;
        text = next;
        a = await analyse(text);
      }
      if (text !== original) fs.writeFileSync(input.path, text);
      fixed = removedCodes(before, a.diagnostics);
      if (fixed.length && opts.format === 'text') io.warn(`${input.name}: ${t('fixed {0} problem(s): {1}', fixed.length, fixed.join(', '))}\n`);
    }
    const report = toReport(input.name, a.kind, a.diagnostics, opts.quiet);
    const estimate = opts.estimate ? service.estimate(a.context) : null;
    report.estimate = estimate?.report ?? null;
    if (fixed) report.fixed = fixed;
    report.llamafactory = { version: a.release.facts.name, source: a.release.source, path: a.release.path ?? null };
    report.launch = launchSummary(a.context);
    if (a.kind !== 'other') releases.add(describeRelease(a.release));
    warnings += a.diagnostics.filter((d) => d.severity === 2).length;
    if (status === 0 && a.diagnostics.some((d) => (d.severity ?? 1) === 1)) status = 1;
    reports.push(report);
    if (opts.format === 'text') {
      for (const line of formatText(report, io.color)) io.write(`${line}\n`);
      if (opts.estimate) io.write(estimateText(input.name, estimate));
    } else if (opts.format === 'github') {
      for (const line of formatGithub(report)) io.write(`${line}\n`);
    }
  }
  if (opts.format === 'json') io.write(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const r of releases) io.warn(`llamafactory-lint: ${t('checked against {0}', r)}\n`);
  if (opts.format === 'sarif') io.write(`${formatSarif(reports, { version, informationUri: manifest.homepage, summary: rulePageSummary })}\n`);
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    io.warn(`llamafactory-lint: ${t('{0} warnings, more than --max-warnings {1}', warnings, opts.maxWarnings)}\n`);
    if (status === 0) status = 1;
  }
  return status;
}

/** Runs the CLI; returns the exit status. `write` receives stdout text, `warn` stderr text. */
export async function run(
  argv: string[],
  write: (s: string) => void,
  warn: (s: string) => void,
  color = false,
  env: NodeJS.ProcessEnv = process.env,
  readStdin: () => string = () => fs.readFileSync(0, 'utf8'),
): Promise<number> {
  // Set first, so that usage errors are in the chosen language too.
  setLocale(requestedLocale(argv, env));
  const io: Io = { write, warn, color, cwd: process.cwd(), readStdin };
  let command: ReturnType<typeof parseArgs>;
  try {
    command = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warn(`llamafactory-lint: ${e.message}\n\n${usage()}\n`);
    return 2;
  }
  const json = argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
  if (command === 'help') {
    write(`${usage()}\n`);
    return 0;
  }
  if (command === 'version') {
    write(`${version}\n`);
    return 0;
  }
  if (command === 'list-rules') return listRules(io, json);
  if (command === 'list-gpus') return listGpus(createLanguageService(createNodeHost()), io, json);
  if ('explain' in command) return explain(command.explain, io);
  return lint(command, io);
}

if (require.main === module) {
  const out: string[] = [];
  void run(process.argv.slice(2), (s) => out.push(s), (s) => process.stderr.write(s), Boolean(process.stdout.isTTY) && !process.env.NO_COLOR).then((code) => {
    process.stdout.write(out.join(''), () => process.exit(code));
  });
}
