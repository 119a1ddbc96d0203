// What one command line says about the run: which launcher, the environment
// LLaMA-Factory reads, how many processes on how many nodes, the accelerate
// config, the config file and the `key=value` overrides after it. Knows the
// forms LLaMA-Factory documents (examples/README.md, examples/extras/*/train.sh):
//   [VAR=x ...] llamafactory-cli train CFG [key=value ...]      (also `lmf`)
//   torchrun --nproc_per_node N --nnodes M ... src/train.py CFG
//   accelerate launch [--config_file A.yaml] [--num_processes N] ... src/train.py CFG
//   deepspeed --num_gpus N ... src/train.py CFG
//   python src/train.py CFG
import { assignment, shellCommands } from './words';
import type { ShellCommand, ShellWord } from './words';

export type Launcher = 'llamafactory-cli' | 'torchrun' | 'accelerate' | 'deepspeed' | 'python';

/** The environment variables of the launch that change what LLaMA-Factory does (launcher.py, hparams/parser.py). */
export const LAUNCH_ENV = [
  'FORCE_TORCHRUN', 'NNODES', 'NODE_RANK', 'NPROC_PER_NODE', 'CUDA_VISIBLE_DEVICES', 'ASCEND_RT_VISIBLE_DEVICES',
  'USE_RAY', 'USE_KT', 'USE_MCA', 'USE_MEGATRON_BRIDGE', 'MASTER_ADDR', 'MASTER_PORT', 'DISABLE_VERSION_CHECK', 'ALLOW_EXTRA_ARGS', 'USE_V1',
] as const;

export interface LaunchCommand {
  launcher: Launcher;
  /** The config argument as written (undefined when the command names none). */
  config: string | undefined;
  /** Words after the config: `key=value` overrides as OmegaConf.from_cli receives them. */
  overrides: string[];
  /** LLaMA-Factory's environment variables as the command sets them (undefined: set to something unknown). */
  env: Map<string, string | undefined>;
  /** `$VAR`s (and `$(...)`) the command uses that nothing resolves. */
  unknown: string[];
  /** Processes per node given on the command line (torchrun/deepspeed), or the total (accelerate --num_processes). */
  nproc?: number;
  nnodes?: number;
  /** `accelerate launch --config_file`. */
  accelerateConfig?: string;
  /** accelerate's own switches: --use_fsdp, --use_deepspeed, --multi_gpu, --mixed_precision. */
  accelerateFlags: Map<string, string | true>;
}

const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Wrappers before the real program: `env`, `nohup`, `time`, `exec`, `sudo -E`, `srun`, `bash -c` is not followed. */
const WRAPPERS = new Set(['env', 'nohup', 'time', 'exec', 'sudo', 'command', 'stdbuf', 'srun']);

function base(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/** `--name=value` or `--name value` options: the option name (dashes and underscores unified) and its value. */
interface Option {
  name: string;
  value: string | undefined;
}

function optionName(word: string): string {
  return word.replace(/^-+/, '').split('=')[0].replace(/-/g, '_');
}

/**
 * Splits launcher options from the script and its arguments. `flags` take no
 * value; every other option takes the next word unless written `--opt=value`.
 * The script is the first word that is not an option (or `-m module`).
 */
function splitOptions(words: string[], flags: ReadonlySet<string>): { options: Option[]; rest: string[] } {
  const options: Option[] = [];
  let k = 0;
  while (k < words.length && words[k].startsWith('-')) {
    const w = words[k];
    const name = optionName(w);
    if (name === 'm' || name === 'module') return { options, rest: words.slice(k) };
    if (w.includes('=')) options.push({ name, value: w.slice(w.indexOf('=') + 1) });
    else if (flags.has(name)) options.push({ name, value: undefined });
    else options.push({ name, value: words[++k] });
    k++;
  }
  return { options, rest: words.slice(k) };
}

const TORCHRUN_FLAGS = new Set(['standalone', 'no_python', 'run_path']);
const ACCELERATE_FLAGS = new Set(['multi_gpu', 'use_fsdp', 'use_deepspeed', 'use_megatron_lm', 'use_xpu', 'cpu', 'tpu', 'quiet', 'q', 'debug', 'no_python', 'same_network', 'dynamo_use_fullgraph', 'dynamo_use_dynamic', 'fsdp_use_orig_params', 'fsdp_sync_module_states', 'fsdp_cpu_ram_efficient_loading', 'fsdp_offload_params', 'enable_cpu_affinity']);
const DEEPSPEED_FLAGS = new Set(['no_python', 'no_local_rank', 'force_multi', 'autotuning', 'bind_cores_to_rank', 'save_pid', 'enable_each_rank_log', 'no_ssh', 'no_ssh_check']);

function count(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  // Elastic `--nnodes 1:3`: the smallest count is the one the run must fit.
  const n = Number(v.split(':')[0]);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** After the script (`src/train.py`, `-m llamafactory.launcher`): the config, then the overrides. */
function scriptArgs(rest: string[]): { config: string | undefined; overrides: string[] } | undefined {
  let k = 0;
  if (rest[0] === '-m' || rest[0] === '--module') k = 2;
  else if (rest[0] !== undefined) k = 1;
  else return undefined;
  // `-m llamafactory.cli train CFG` and `launcher.py train CFG` name the command first.
  if (rest[k] === 'train') k++;
  return argsAfter(rest.slice(k));
}

function argsAfter(args: string[]): { config: string | undefined; overrides: string[] } {
  const first = args[0];
  if (first === undefined || !/\.(ya?ml|json)$/i.test(first)) return { config: undefined, overrides: args };
  return { config: first, overrides: args.slice(1) };
}

/** The launch a command describes, or undefined when it does not start LLaMA-Factory training. */
export function parseCommand(cmd: ShellCommand): LaunchCommand | undefined {
  const env = new Map<string, string | undefined>(cmd.exported);
  const unknown: string[] = [];
  let k = 0;
  const words = cmd.words;
  const note = (w: ShellWord) => unknown.push(...w.unknown);
  for (;;) {
    const w = words[k];
    if (!w) return undefined;
    const a = assignment(w);
    if (a) {
      env.set(a.name, a.value.unknown.length ? undefined : a.value.text);
      note(w);
      k++;
    } else if (WRAPPERS.has(w.text)) {
      k++;
      while (words[k]?.text.startsWith('-')) k++;
    } else break;
  }
  const rest = words.slice(k);
  rest.forEach(note);
  const texts = rest.map((w) => w.text);
  const program = base(texts[0]);
  const launch = (launcher: Launcher, parts: Partial<LaunchCommand> & { config: string | undefined; overrides: string[] }): LaunchCommand => ({
    launcher, env, unknown: [...new Set(unknown)], accelerateFlags: new Map(), ...parts,
  });
  if (program === 'llamafactory-cli' || program === 'lmf') {
    if (texts[1] !== 'train') return undefined;
    return launch('llamafactory-cli', argsAfter(texts.slice(2)));
  }
  if (program === 'torchrun' || (PYTHON.test(program) && texts[1] === '-m' && /^torch\.distributed\.(run|launch)$/.test(texts[2] ?? ''))) {
    const { options, rest: after } = splitOptions(texts.slice(program === 'torchrun' ? 1 : 3), TORCHRUN_FLAGS);
    const args = scriptArgs(after);
    if (!args) return undefined;
    const opt = (n: string) => options.find((o) => o.name === n)?.value;
    return launch('torchrun', { ...args, nproc: count(opt('nproc_per_node')), nnodes: count(opt('nnodes')) ?? (options.some((o) => o.name === 'standalone') ? 1 : undefined) });
  }
  if (program === 'accelerate' && texts[1] === 'launch') {
    const { options, rest: after } = splitOptions(texts.slice(2), ACCELERATE_FLAGS);
    const args = scriptArgs(after);
    if (!args) return undefined;
    const opt = (n: string) => options.find((o) => o.name === n)?.value;
    const flags = new Map<string, string | true>();
    for (const o of options) if (o.name !== 'config_file') flags.set(o.name, o.value ?? true);
    return launch('accelerate', { ...args, nproc: count(opt('num_processes')), nnodes: count(opt('num_machines')), accelerateConfig: opt('config_file'), accelerateFlags: flags });
  }
  if (program === 'deepspeed') {
    const { options, rest: after } = splitOptions(texts.slice(1), DEEPSPEED_FLAGS);
    const args = scriptArgs(after);
    if (!args) return undefined;
    const opt = (n: string) => options.find((o) => o.name === n)?.value;
    const include = opt('include') ?? opt('i');
    const listed = include ? include.split('@').map((h) => h.split(':')[1]?.split(',').length ?? 0).reduce((a, b) => Math.max(a, b), 0) : 0;
    return launch('deepspeed', { ...args, nproc: count(opt('num_gpus')) ?? (listed || undefined), nnodes: count(opt('num_nodes')) });
  }
  if (PYTHON.test(program)) {
    const { rest: after } = splitOptions(texts.slice(1), new Set(['u', 'B', 'O', 'OO', 'E', 's', 'S', 'I']));
    // `python -m llamafactory.cli train CFG` runs the CLI (and its torchrun decision).
    if (after[0] === '-m' && /^llamafactory\.cli$/.test(after[1] ?? '')) return after[2] === 'train' ? launch('llamafactory-cli', argsAfter(after.slice(3))) : undefined;
    if (!/train\.py$|launcher\.py$/.test(after[0] ?? '') && !(after[0] === '-m' && /^llamafactory\./.test(after[1] ?? ''))) return undefined;
    const args = scriptArgs(after);
    return args ? launch('python', args) : undefined;
  }
  return undefined;
}

/** Every LLaMA-Factory training launch in a script, with the line it starts on. */
export function launchesIn(script: string, initial?: ReadonlyMap<string, string | undefined>): { command: LaunchCommand; shell: ShellCommand }[] {
  const out: { command: LaunchCommand; shell: ShellCommand }[] = [];
  for (const shell of shellCommands(script, initial)) {
    const command = parseCommand(shell);
    if (command) out.push({ command, shell });
  }
  return out;
}
