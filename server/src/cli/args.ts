// The command line of llamafactory-lint. Flags are a contract: add, never
// rename or drop.
import { t } from '../service';
import * as path from 'node:path';
import type { ReleaseChoice, ServiceSettings } from '../service';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];
type RuleSeverity = ServiceSettings['rules'][string];
const SEVERITIES: readonly RuleSeverity[] = ['off', 'information', 'warning', 'error'];

export interface CliOptions {
  format: Format;
  gpu: string;
  gpus: number;
  /** Whether --gpus was given (else the project config's `gpus` applies). */
  gpusGiven: boolean;
  estimate: boolean;
  /** As given with --locale; empty to follow the environment. */
  locale: string;
  /** Files, directories, globs, or `-` for standard input. */
  files: string[];
  /** Report errors only. */
  quiet: boolean;
  /** Exit 1 when more warnings than this are found. */
  maxWarnings?: number;
  /** Severities from --rule CODE=LEVEL, over the project config's `rules`. */
  rules: Record<string, RuleSeverity>;
  /** The path standard input stands for (for the project config, messages and `files` globs). */
  stdinFilename?: string;
  fix: boolean;
  /** With --fix: also the fixes that may change what the config means. */
  unsafe: boolean;
  /** The --launch command line; undefined when not given. */
  launch?: string;
  /** --lf-version or --lf-path (the last one given wins). */
  release?: ReleaseChoice;
}

export type Command = CliOptions | 'help' | 'version' | 'list-gpus' | 'list-rules' | { explain: string };

export class UsageError extends Error {}

export function usage(): string {
  return t(`Usage: llamafactory-lint [options] FILE|DIR|GLOB|- ...

Checks LLaMA-Factory config files: every key, launch-time conflicts, and (with
--gpu) what the target GPU supports. Directories are searched for YAML files
(skipping .gitignore'd folders and node_modules) and only LLaMA-Factory configs
among them are reported. Settings come from the nearest .llamafactory-lint.yaml
or [tool.llamafactory-lint] in pyproject.toml; flags win over them.

Options:
  --format FORMAT      text (default), json, sarif (SARIF 2.1.0) or github (workflow annotations)
  --gpu ID             target GPU (an id such as a100-80gb-sxm, or a name such as "RTX 4090"; see --list-gpus)
  --gpus N             number of GPUs the job runs on (default: 1)
  --rule CODE=LEVEL    set a code's severity: off, information, warning or error (repeatable);
                       --rule memory-exceeds-gpu=error fails the run on a predicted out-of-memory
  --quiet              report errors only
  --max-warnings N     exit 1 when more than N warnings are found
  --fix                apply the safe fixes (spelling, quoting) to the files and report what changed
  --unsafe             with --fix, also apply the other preferred fixes
  --stdin-filename P   the path that standard input (-) stands for
  --estimate           add a memory estimate per file
  --launch "CMD"       how the run is launched (e.g. "FORCE_TORCHRUN=1 llamafactory-cli train cfg.yaml");
                       without it, a launch comment in the file, then a command found in the workspace
  --explain CODE       print the page that explains a code
  --list-rules         list every code
  --list-gpus          list the GPU ids --gpu accepts
  --locale LANG        language of the messages: en, ko or zh-cn (default: from LC_ALL, LC_MESSAGES or LANG)
  --lf-version VERSION the LLaMA-Factory release to check against (0.9.3, main, ...)
  --lf-path DIR        an LLaMA-Factory checkout or installed llamafactory package folder to read the facts from
                       (default for both: the first-line directive, a checkout above the config, the Python
                       environment in VIRTUAL_ENV / CONDA_PREFIX / .venv, else the newest release)
  --version            print the version
  -h, --help           print this help

Exit status: 0 no errors, 1 some file has an error (or more warnings than --max-warnings),
2 bad usage, a bad settings file or an unreadable file.`);
}

function wholeNumber(text: string, min: number, message: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(message);
  return n;
}

export function parseArgs(argv: string[]): Command {
  const o: CliOptions = { format: 'text', gpu: '', gpus: 1, gpusGiven: false, estimate: false, locale: '', files: [], quiet: false, rules: {}, fix: false, unsafe: false };
  let mode: Command | undefined;
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
      case '--list-gpus':
      case '--list-rules':
        mode = flag === '--list-gpus' ? 'list-gpus' : 'list-rules';
        break;
      case '--explain':
        mode = { explain: value() };
        break;
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(t('--format must be one of {0}, not {1}', FORMATS.join(', '), f));
        o.format = f as Format;
        break;
      }
      case '--gpu':
        o.gpu = value();
        break;
      case '--gpus':
        o.gpus = wholeNumber(value(), 1, t('--gpus must be a whole number of at least 1'));
        o.gpusGiven = true;
        break;
      case '--max-warnings':
        o.maxWarnings = wholeNumber(value(), 0, t('--max-warnings must be a whole number of at least 0'));
        break;
      case '--rule': {
        const [code, level] = value().split('=').map((s) => s.trim());
        if (!code || !SEVERITIES.includes(level as RuleSeverity)) throw new UsageError(t('--rule takes CODE=LEVEL with LEVEL off, information, warning or error'));
        o.rules[code] = level as RuleSeverity;
        break;
      }
      case '--quiet':
        o.quiet = true;
        break;
      case '--fix':
        o.fix = true;
        break;
      case '--unsafe':
        o.unsafe = true;
        break;
      case '--stdin-filename':
        o.stdinFilename = value();
        break;
      case '--estimate':
        o.estimate = true;
        break;
      case '--launch':
        o.launch = value();
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
  if (mode) return mode;
  if (o.files.length === 0) throw new UsageError(t('no files given'));
  if (o.unsafe && !o.fix) throw new UsageError(t('--unsafe only goes with --fix'));
  if (o.fix && o.files.includes('-')) throw new UsageError(t('--fix changes files in place and cannot fix standard input'));
  return o;
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
