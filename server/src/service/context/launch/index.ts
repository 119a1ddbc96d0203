// The launch context: how the run of one config is started, and where that
// knowledge comes from. First match wins: the CLI's `--launch`, a
// `# llamafactory-launch:` comment in the config, the `llamafactory.launch`
// setting, then a command line found in the workspace that names the config.
// The result is plain data with its source, read by the rules, the estimator
// and the features; problems are placed at the source.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { parseConfig } from '../../document';
import type { ConfigDocument } from '../../document';
import { resolveFromFolder, resolveReference } from '../../files';
import { t } from '../../l10n';
import { makeDiagnostic } from '../../types';
import type { ServiceHost } from '../../types';
import { accelerateValues, describeAccelerate } from './accelerate';
import type { AccelerateConfig } from './accelerate';
import { LAUNCH_ENV, launchesIn } from './command';
import type { LaunchCommand, Launcher } from './command';
import { discoverLaunch, namesConfig } from './discover';
import { parseOverride, withOverrides } from './overrides';
import type { Override } from './overrides';

export type { AccelerateConfig, Launcher, Override };

export type LaunchSourceKind = 'cli' | 'directive' | 'setting' | 'discovered';

export interface LaunchSource {
  kind: LaunchSourceKind;
  /** How messages name it: `train.sh:3`, `--launch`, `the llamafactory.launch setting`, `line 2`. */
  label: string;
  /** The file and 0-based line of a discovered command. */
  file?: string;
  line?: number;
}

export type Distributed = 'none' | 'ddp' | 'deepspeed' | 'fsdp';

export interface LaunchContext {
  /** The command line as written. */
  command: string;
  source: LaunchSource;
  launcher: Launcher;
  /** Processes across all nodes (one per GPU), when the command says. */
  gpus: number | undefined;
  nodes: number;
  /** Whether the processes are started as a distributed job (torchrun, accelerate, deepspeed); undefined when it depends on the machine. */
  distributedLaunch: boolean | undefined;
  /** The accelerate config in effect (file and command-line switches), for accelerate launches. */
  accelerate: { path: string | undefined; config: AccelerateConfig } | undefined;
  overrides: Override[];
  /** LLaMA-Factory's environment variables as set by the launch. */
  env: Record<string, string>;
  /** Variables the command uses that nothing resolves. */
  unknown: string[];
  /** Where launch problems are shown in the config. */
  at: Range;
  /** Problems found while reading the launch, placed at `at`. */
  problems: Diagnostic[];
}

export interface LaunchInput {
  doc: ConfigDocument;
  configPath: string;
  host: ServiceHost;
  /** The `llamafactory.launch` setting ('' for none). */
  setting: string;
  /** The CLI's `--launch` option. */
  option?: string;
}

const DIRECTIVE = /^(\s*#\s*llamafactory-launch\s*:\s*)(.*?)\s*$/im;
export const LAUNCH_DIRECTIVE_EXAMPLE = '# llamafactory-launch: FORCE_TORCHRUN=1 llamafactory-cli train config.yaml';

/** `is_env_enabled` of LLaMA-Factory's extras/misc.py. */
export function envEnabled(env: Record<string, string>, name: string): boolean {
  return ['true', 'y', '1'].includes((env[name] ?? '').toLowerCase());
}

/** A fresh range at the top of the file: diagnostics of the overrides are told apart by this very object. */
function origin(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function directiveOf(doc: ConfigDocument): { command: string; range: Range } | undefined {
  const m = DIRECTIVE.exec(doc.text.length > 200_000 ? doc.text.slice(0, 200_000) : doc.text);
  if (!m) return undefined;
  const start = doc.positionAt(m.index + m[1].length);
  return { command: m[2], range: { start, end: { line: start.line, character: start.character + m[2].length } } };
}

/** Devices a `CUDA_VISIBLE_DEVICES`-style list makes visible (undefined when unset or unknown). */
function visibleDevices(env: Map<string, string | undefined>): number | undefined {
  for (const name of ['ASCEND_RT_VISIBLE_DEVICES', 'CUDA_VISIBLE_DEVICES']) {
    if (!env.has(name)) continue;
    const v = env.get(name);
    if (v === undefined) return undefined;
    const ids = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
    // CUDA stops at the first invalid id (`-1` hides every GPU).
    const valid = ids.findIndex((x) => !/^\d+$|^GPU-|^MIG-/.test(x));
    return valid < 0 ? ids.length : valid;
  }
  return undefined;
}

function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

interface Processes {
  gpus: number | undefined;
  nodes: number;
  distributedLaunch: boolean | undefined;
}

/** LLaMA-Factory's launcher.py: `train` goes through torchrun with FORCE_TORCHRUN or more than one device (not under Ray/KT). */
function cliProcesses(env: Map<string, string | undefined>, flat: Record<string, string>): Processes {
  const forced = ['FORCE_TORCHRUN', 'USE_MCA', 'USE_MEGATRON_BRIDGE'].some((n) => envEnabled(flat, n));
  const visible = visibleDevices(env);
  const ray = envEnabled(flat, 'USE_RAY') || envEnabled(flat, 'USE_KT');
  const distributedLaunch = forced || (ray ? false : visible === undefined ? undefined : visible > 1);
  const nodes = positive(flat.NNODES) ?? 1;
  if (distributedLaunch) {
    const perNode = positive(flat.NPROC_PER_NODE) ?? visible;
    return { gpus: perNode === undefined ? undefined : perNode * nodes, nodes, distributedLaunch };
  }
  return { gpus: distributedLaunch === false && !ray ? 1 : undefined, nodes: 1, distributedLaunch };
}

/** Accelerate's config with the switches of the command line on top (they win, as in accelerate's launch). */
function accelerateOf(cmd: LaunchCommand, input: LaunchInput, base: string, problems: Diagnostic[], problem: ProblemMaker): LaunchContext['accelerate'] {
  const values: Record<string, unknown> = {};
  let file: string | undefined;
  const written = cmd.accelerateConfig;
  if (written !== undefined) {
    const found = resolveFromFolder(written, base, input.host) ?? resolveReference(written, input.configPath, input.host);
    if (!found) {
      problems.push(problem(DiagnosticSeverity.Warning, 'launch-accelerate-missing',
        t('The accelerate config `{0}` was not found; accelerate would stop. The launch is read without it.', written)));
    } else {
      file = found.path;
      const doc = parseConfig('', input.host.readFile(found.path) ?? '');
      if (doc.problems.length > 0 || !doc.byKey.has('distributed_type')) {
        problems.push(problem(DiagnosticSeverity.Warning, 'launch-accelerate-invalid',
          t('The accelerate config `{0}` cannot be read as accelerate reads it (YAML errors, or no `distributed_type`); the launch is read without it.', written)));
      } else Object.assign(values, accelerateValues(doc));
    }
  } else {
    const home = input.host.env('HF_HOME') ?? path.join(input.host.env('XDG_CACHE_HOME') ?? path.join(input.host.homeDir(), '.cache'), 'huggingface');
    const fallback = path.join(home, 'accelerate', 'default_config.yaml');
    const text = input.host.readFile(fallback);
    if (text !== undefined) {
      const doc = parseConfig('', text);
      if (doc.problems.length === 0) {
        file = fallback;
        Object.assign(values, accelerateValues(doc));
      }
    }
  }
  const flags = cmd.accelerateFlags;
  const flag = (n: string) => flags.get(n);
  if (flag('use_fsdp')) values.distributed_type = 'FSDP';
  else if (flag('use_deepspeed')) values.distributed_type = 'DEEPSPEED';
  else if (flag('multi_gpu') && values.distributed_type === undefined) values.distributed_type = 'MULTI_GPU';
  if (cmd.nproc !== undefined) values.num_processes = cmd.nproc;
  if (cmd.nnodes !== undefined) values.num_machines = cmd.nnodes;
  if (typeof flag('mixed_precision') === 'string') values.mixed_precision = flag('mixed_precision');
  const nested = (key: string, names: string[]) => {
    const section = { ...((values[key] as Record<string, unknown> | undefined) ?? {}) };
    for (const n of names) {
      const v = flag(n);
      if (v !== undefined) section[n] = v === true ? true : parseConfig('', `v: ${v}`).byKey.get('v')?.value;
    }
    values[key] = section;
  };
  nested('fsdp_config', ['fsdp_version', 'fsdp_sharding_strategy', 'fsdp_offload_params', 'fsdp_reshard_after_forward', 'fsdp_activation_checkpointing', 'fsdp_cpu_ram_efficient_loading', 'fsdp_auto_wrap_policy']);
  nested('deepspeed_config', ['zero_stage', 'offload_optimizer_device', 'offload_param_device', 'deepspeed_config_file']);
  if (file === undefined && values.distributed_type === undefined && values.num_processes === undefined) return undefined;
  return { path: file, config: describeAccelerate(values) };
}

function processesOf(cmd: LaunchCommand, accelerate: LaunchContext['accelerate'], flat: Record<string, string>): Processes {
  const visible = visibleDevices(cmd.env);
  switch (cmd.launcher) {
    case 'llamafactory-cli':
      return cliProcesses(cmd.env, flat);
    case 'python':
      return { gpus: 1, nodes: 1, distributedLaunch: false };
    case 'torchrun':
    case 'deepspeed': {
      const nodes = cmd.nnodes ?? 1;
      const perNode = cmd.nproc ?? visible;
      return { gpus: perNode === undefined ? undefined : perNode * nodes, nodes, distributedLaunch: true };
    }
    case 'accelerate': {
      const c = accelerate?.config;
      const gpus = c?.numProcesses ?? (c && c.distributedType !== 'NO' ? visible : undefined);
      // accelerate runs a single process without a distributed setup only for distributed_type NO.
      const single = gpus === 1 && (c?.distributedType === undefined || c.distributedType === 'NO');
      return { gpus, nodes: c?.numMachines ?? 1, distributedLaunch: !single };
    }
  }
}

type ProblemMaker = (severity: DiagnosticSeverity, code: string, message: string) => Diagnostic;

/** How one command line launches the config, with its problems placed at `at`. */
function contextOf(command: string, cmd: LaunchCommand | undefined, source: LaunchSource, at: Range, input: LaunchInput, base: string): LaunchContext | undefined {
  const problems: Diagnostic[] = [];
  const prefix = source.kind === 'directive' ? '' : `${t('Launch command ({0}):', source.label)} `;
  const related = source.file !== undefined
    ? [{ location: { uri: pathToFileURL(source.file).toString(), range: { start: { line: source.line ?? 0, character: 0 }, end: { line: source.line ?? 0, character: 0 } } }, message: command }]
    : undefined;
  const problem: ProblemMaker = (severity, code, message) => {
    const d = makeDiagnostic(at, severity, code, prefix + message);
    if (related) d.relatedInformation = related;
    return d;
  };
  if (!cmd) {
    if (source.kind === 'discovered') return undefined;
    problems.push(problem(DiagnosticSeverity.Warning, 'launch-unparsed',
      t('`{0}` is not a command that starts LLaMA-Factory training (llamafactory-cli train, torchrun, accelerate launch, deepspeed or python src/train.py); the launch is unknown.', command)));
    return { command, source, launcher: 'llamafactory-cli', gpus: undefined, nodes: 1, distributedLaunch: undefined, accelerate: undefined, overrides: [], env: {}, unknown: [], at, problems };
  }
  const flat: Record<string, string> = {};
  for (const name of LAUNCH_ENV) {
    const v = cmd.env.get(name);
    if (v !== undefined) flat[name] = v;
  }
  for (const name of cmd.unknown) {
    problems.push(problem(DiagnosticSeverity.Information, 'launch-unknown-variable',
      t('`{0}` in the launch command is not set where the command is written, so what it stands for is unknown; the parts that depend on it are not assumed.', name)));
  }
  const names = cmd.config === undefined || cmd.config.includes('$') || namesConfig(cmd.config, input.configPath, [base, ...input.host.searchRoots(), path.dirname(input.configPath)]) || path.basename(cmd.config) === path.basename(input.configPath);
  if (!names && source.kind !== 'discovered') {
    problems.push(problem(DiagnosticSeverity.Warning, 'launch-other-config',
      t('The launch command runs `{0}`, not this config; its GPUs and launcher are used, its overrides are not.', cmd.config!)));
  }
  const overrides = names ? cmd.overrides.map(parseOverride) : [];
  for (const o of overrides.filter((x) => x.malformed)) {
    problems.push(problem(envEnabled(flat, 'ALLOW_EXTRA_ARGS') ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, 'launch-override-syntax',
      t('`{0}` after the config is not a `key=value` override: LLaMA-Factory hands these words to OmegaConf.from_cli, which makes a key named `{1}` that the argument parser rejects. Write `key=value`.', o.text, o.path.join('.'))));
  }
  const accelerate = cmd.launcher === 'accelerate' ? accelerateOf(cmd, input, base, problems, problem) : undefined;
  const p = processesOf(cmd, accelerate, flat);
  return { command, source, launcher: cmd.launcher, ...p, accelerate, overrides, env: flat, unknown: cmd.unknown, at, problems };
}

function fromText(command: string, source: LaunchSource, at: Range, input: LaunchInput, base: string): LaunchContext | undefined {
  const found = launchesIn(command)[0];
  return contextOf(command, found?.command, source, at, input, base);
}

/** The launch of the config, or undefined when none is given and none is found. */
export function resolveLaunch(input: LaunchInput): LaunchContext | undefined {
  const configDir = path.dirname(path.resolve(input.configPath));
  const workspace = input.host.searchRoots()[0] ?? configDir;
  if (input.option !== undefined && input.option.trim() !== '') {
    return fromText(input.option, { kind: 'cli', label: '--launch' }, origin(), input, workspace);
  }
  const directive = directiveOf(input.doc);
  if (directive) {
    return fromText(directive.command, { kind: 'directive', label: t('line {0}', directive.range.start.line + 1) }, directive.range, input, workspace);
  }
  if (input.setting.trim() !== '') {
    return fromText(input.setting, { kind: 'setting', label: t('the llamafactory.launch setting') }, origin(), input, workspace);
  }
  const found = discoverLaunch(input.configPath, input.host);
  if (!found) return undefined;
  const source: LaunchSource = { kind: 'discovered', label: `${path.basename(found.file)}:${found.line + 1}`, file: found.file, line: found.line };
  return contextOf(found.text, found.command, source, origin(), input, path.dirname(found.file));
}

/** The config as LLaMA-Factory receives it from this launch: the overrides merged in, placed at the launch source. */
export function launchedDocument(doc: ConfigDocument, launch: LaunchContext | undefined): ConfigDocument {
  return launch && launch.overrides.length ? withOverrides(doc, launch.overrides, launch.at) : doc;
}

/**
 * Says where a problem of an override comes from: the checks place it at the
 * launch source (the range object of the overridden entries), and this adds
 * which launch and links to it (on copies: rule results may be cached).
 */
export function markOverrideProblems(found: Diagnostic[], launch: LaunchContext | undefined): Diagnostic[] {
  if (!launch || launch.overrides.length === 0) return found;
  const link = launch.source.file === undefined ? undefined : pathToFileURL(launch.source.file).toString();
  const line = { start: { line: launch.source.line ?? 0, character: 0 }, end: { line: launch.source.line ?? 0, character: 0 } };
  return found.map((d) => {
    if (d.range !== launch.at || String(d.code).startsWith('launch-')) return d;
    const marked = { ...d, message: `${d.message} ${t('(from a `key=value` override of the launch command, {0})', launch.source.label)}` };
    if (link) marked.relatedInformation = [{ location: { uri: link, range: line }, message: launch.command }];
    return marked;
  });
}

/** How the run is distributed, with what the YAML itself says (its `deepspeed`/`fsdp` keys). */
export function distributedOf(launch: LaunchContext, yaml: { deepspeed: boolean; fsdp: boolean }): Distributed {
  const type = launch.accelerate?.config.distributedType;
  if (yaml.deepspeed && launch.distributedLaunch !== false) return 'deepspeed';
  if (yaml.fsdp && launch.distributedLaunch !== false) return 'fsdp';
  if (type === 'FSDP') return 'fsdp';
  if (type === 'DEEPSPEED') return 'deepspeed';
  if (launch.distributedLaunch || (launch.gpus ?? 1) > 1) return 'ddp';
  return 'none';
}
