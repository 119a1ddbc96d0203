// llamafactory-lint: the language service from a terminal or CI.
// Flags and the JSON shape are a contract that outside checks rely on: add
// fields, never rename or drop them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createNodeHost } from './nodeHost';
import { createLanguageService, defaultSettings } from './service';
import { describeRelease } from './service';
import type { ReleaseChoice, ResolvedRelease } from './service';
import { breakdownMarkdown, estimateReport, summaryLine } from './service/memory/report';
import type { ConfigKind } from './service/types';
import { version } from './version';
import { setLocale, t } from './service/l10n';

function usage(): string {
  return t(`Usage: llamafactory-lint [options] FILE...

Checks LLaMA-Factory config files: every key, launch-time conflicts, and (with
--gpu) what the target GPU supports.

Options:
  --format text|json   output format (default: text)
  --gpu ID             target GPU (an id such as a100-80gb-sxm, or a name such as "RTX 4090")
  --gpus N             number of GPUs the job runs on (default: 1)
  --estimate           add a memory estimate per file
  --locale LANG        language of the messages: en, ko or zh-cn (default: from LC_ALL, LC_MESSAGES or LANG)
  --lf-version VERSION the LLaMA-Factory release to check against (0.9.3, main, ...)
  --lf-path DIR        an LLaMA-Factory checkout or installed llamafactory package folder to read the facts from
                       (default for both: the first-line directive, a checkout above the config, the Python
                       environment in VIRTUAL_ENV / CONDA_PREFIX / .venv, else the newest release)
  --version            print the version
  -h, --help           print this help

Exit status: 0 no errors, 1 some file has an error, 2 bad usage or an unreadable file.`);
}

export interface CliOptions {
  format: 'text' | 'json';
  gpu: string;
  gpus: number;
  estimate: boolean;
  /** As given with --locale; empty to follow the environment. */
  locale: string;
  /** --lf-version or --lf-path (the last one given wins). */
  release?: ReleaseChoice;
  files: string[];
}

type Severity = 'error' | 'warning' | 'information' | 'hint';
const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

export interface FileReport {
  file: string;
  kind: ConfigKind;
  diagnostics: { range: Diagnostic['range']; severity: Severity; code: string; message: string }[];
  estimate: unknown;
  /** The LLaMA-Factory the file was checked against; path is null for a bundled release. */
  llamafactory: { version: string; source: ResolvedRelease['source']; path: string | null };
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { format: 'text', gpu: '', gpus: 1, estimate: false, locale: '', files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(t('{0} needs a value', flag));
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError(t('--format must be text or json, not {0}', f));
        o.format = f;
        break;
      }
      case '--gpu':
        o.gpu = value();
        break;
      case '--gpus': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new UsageError(t('--gpus must be a whole number of at least 1'));
        o.gpus = n;
        break;
      }
      case '--estimate':
        o.estimate = true;
        break;
      case '--locale':
        o.locale = value();
        break;
      case '--lf-version':
      case '--lf-path':
        o.release = flag === '--lf-path' ? { value: path.resolve(value()), via: flag } : { value: value(), via: flag };
        break;
      case '--':
        o.files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(t('unknown option {0}', a));
        o.files.push(a);
    }
  }
  if (o.files.length === 0) throw new UsageError(t('no files given'));
  return o;
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[90m' };

function formatText(r: FileReport, color: boolean): string[] {
  return r.diagnostics.map((d) => {
    const sev = color ? `${COLORS[d.severity]}${d.severity}\x1b[0m` : d.severity;
    return `${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${sev} ${d.code} ${d.message}`;
  });
}

function estimateText(file: string, ctx: Parameters<typeof estimateReport>[0]): string {
  const r = estimateReport(ctx);
  if (!r) return `${file}: ${t('no memory estimate (not a training config, or the model is unknown)')}\n`;
  const body = breakdownMarkdown(r).replace(/\*\*/g, '').split('\n').map((l) => `  ${l}`).join('\n');
  return `${file}: ${summaryLine(r)}\n${body}\n`;
}

/** The language asked for: --locale (last one wins), else LC_ALL, LC_MESSAGES, LANG as POSIX orders them. */
export function requestedLocale(argv: string[], env: NodeJS.ProcessEnv): string | undefined {
  let asked: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--locale') asked = argv[i + 1];
    else if (a.startsWith('--locale=')) asked = a.slice('--locale='.length);
  });
  return asked ?? [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
}

/** Runs the CLI; returns the exit status. `write` receives stdout text, `warn` stderr text. */
export async function run(argv: string[], write: (s: string) => void, warn: (s: string) => void, color = false, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Set first, so that usage errors are in the chosen language too.
  setLocale(requestedLocale(argv, env));
  let opts: CliOptions | 'help' | 'version';
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warn(`llamafactory-lint: ${e.message}\n\n${usage()}\n`);
    return 2;
  }
  if (opts === 'help') {
    write(`${usage()}\n`);
    return 0;
  }
  if (opts === 'version') {
    write(`${version}\n`);
    return 0;
  }
  // One run: the files a config names do not change while it lints.
  const host = createNodeHost(undefined, 60_000);
  const service = createLanguageService(host);
  const settings = { ...defaultSettings, gpu: opts.gpu, gpuCount: opts.gpus };
  const problem = opts.release && service.checkReleaseChoice(opts.release, process.cwd());
  if (problem) {
    warn(`llamafactory-lint: ${problem}\n`);
    return 2;
  }
  const reports: FileReport[] = [];
  // Each distinct "LLaMA-Factory 0.9.3 (from .venv)" once per run, on stderr (stdout keeps one line per diagnostic).
  const releases = new Set<string>();
  let status = 0;
  for (const file of opts.files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      warn(`llamafactory-lint: ${t('cannot read {0}: {1}', file, (e as NodeJS.ErrnoException).code ?? String(e))}\n`);
      status = 2;
      continue;
    }
    const configPath = path.resolve(file);
    const input = { uri: pathToFileURL(configPath).toString(), text, configPath };
    const target = { gpuSource: 'cli' as const, releaseChoice: opts.release };
    service.analyze(input, settings, target);
    // The first analysis queues scans of the dataset files the config names; the second sees them.
    await service.data.idle();
    const a = service.analyze(input, settings, target);
    const report: FileReport = {
      file,
      kind: a.kind,
      diagnostics: a.diagnostics.map((d) => ({ range: d.range, severity: SEVERITY[d.severity ?? 1], code: String(d.code ?? ''), message: typeof d.message === 'string' ? d.message : d.message.value })),
      estimate: opts.estimate ? (estimateReport(a.context) ?? null) : null,
      llamafactory: { version: a.release.facts.name, source: a.release.source, path: a.release.path ?? null },
    };
    if (a.kind !== 'other') releases.add(describeRelease(a.release));
    if (status === 0 && report.diagnostics.some((d) => d.severity === 'error')) status = 1;
    reports.push(report);
    if (opts.format === 'text') {
      for (const line of formatText(report, color)) write(`${line}\n`);
      if (opts.estimate) write(estimateText(file, a.context));
    }
  }
  if (opts.format === 'json') write(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const r of releases) warn(`llamafactory-lint: ${t('checked against {0}', r)}\n`);
  return status;
}

if (require.main === module) {
  const out: string[] = [];
  void run(process.argv.slice(2), (s) => out.push(s), (s) => process.stderr.write(s), Boolean(process.stdout.isTTY) && !process.env.NO_COLOR).then((code) => {
    process.stdout.write(out.join(''), () => process.exit(code));
  });
}
