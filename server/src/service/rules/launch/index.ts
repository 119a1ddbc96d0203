// Checks decided by how the run is launched (ctx.launch): the accelerate
// config against the YAML, the launcher against the GPUs, and the overrides
// against torchrun's re-launch. Silent when no launch is known. Each is placed
// at the launch source (the directive, or the top of the file naming it).
import type { AnalysisContext } from '../../context';
import type { LaunchContext } from '../../context/launch';
import { t } from '../../l10n';
import { truthy } from '../../values';
import { defineRule, ERROR, INFO, WARNING } from '../rule';
import type { DiagnosticSeverity, Finding } from '../rule';

const TWICE = 'launch-deepspeed-twice';
const CONFLICT = 'launch-distributed-conflict';
const PRECISION = 'launch-mixed-precision';
const PYTHON = 'launch-python-multi-gpu';
const SPACE = 'launch-override-space';

function at(launch: LaunchContext, severity: DiagnosticSeverity, code: string, message: string): Finding {
  const prefix = launch.source.kind === 'directive' ? '' : `${t('Launch command ({0}):', launch.source.label)} `;
  return { code, severity, at: launch.at, message: prefix + message };
}

/** accelerate's distributed setup against the YAML's own `deepspeed`/`fsdp`. */
function accelerateVsYaml(ctx: AnalysisContext, launch: LaunchContext): Finding[] {
  const type = launch.accelerate?.config.distributedType;
  const yamlDs = truthy(ctx.doc, 'deepspeed');
  const yamlFsdp = truthy(ctx.doc, 'fsdp');
  if (type === 'DEEPSPEED' && yamlDs) {
    return [at(launch, WARNING, TWICE,
      t('DeepSpeed is set both in the YAML (`deepspeed`) and in the accelerate config; transformers builds DeepSpeed from the YAML\'s file and the accelerate `deepspeed_config` is not used. Keep one of them.'))];
  }
  if ((type === 'FSDP' && yamlDs) || (type === 'DEEPSPEED' && yamlFsdp)) {
    return [at(launch, ERROR, CONFLICT,
      t('The accelerate config uses {0} but the YAML sets `{1}`; accelerate refuses to run DeepSpeed and FSDP together. Remove one of them.', type, yamlDs ? 'deepspeed' : 'fsdp'))];
  }
  return [];
}

/** accelerate's mixed_precision against the YAML's bf16/fp16 (transformers sets the precision from the YAML when it names one). */
function precision(ctx: AnalysisContext, launch: LaunchContext): Finding[] {
  const mixed = launch.accelerate?.config.mixedPrecision;
  if (mixed !== 'bf16' && mixed !== 'fp16') return [];
  const yaml = truthy(ctx.doc, 'bf16') || truthy(ctx.doc, 'pure_bf16') ? 'bf16' : truthy(ctx.doc, 'fp16') ? 'fp16' : undefined;
  if (yaml === undefined) {
    return [at(launch, INFO, PRECISION,
      t('The accelerate config asks for {0} mixed precision, but the YAML sets neither `bf16` nor `fp16`, so LLaMA-Factory keeps the weights in full precision. Set `{0}: true` in the YAML.', mixed))];
  }
  if (yaml === mixed) return [];
  return [at(launch, WARNING, PRECISION,
    t('The accelerate config says `mixed_precision: {0}` but the YAML turns on `{1}`; the YAML wins and the accelerate setting misleads. Make them agree.', mixed, yaml))];
}

/** Visible devices named by the launch's CUDA_VISIBLE_DEVICES / ASCEND_RT_VISIBLE_DEVICES. */
function visible(launch: LaunchContext): number | undefined {
  const list = launch.env.ASCEND_RT_VISIBLE_DEVICES ?? launch.env.CUDA_VISIBLE_DEVICES;
  return list === undefined ? undefined : list.split(',').filter((x) => x.trim() !== '').length;
}

export const launchRule = defineRule({
  codes: [TWICE, CONFLICT, PRECISION, PYTHON, SPACE],
  covers: ['R10', 'R124'],
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return [];
    const out = [...accelerateVsYaml(ctx, launch), ...precision(ctx, launch)];
    // parser.py: several GPUs visible to one process that is not distributed (ParallelMode.NOT_DISTRIBUTED) stops the run.
    const devices = visible(launch) ?? (ctx.target?.countFrom === 'launch' ? undefined : ctx.target?.count);
    if (launch.launcher === 'python' && devices !== undefined && devices > 1 && !truthy(ctx.doc, 'use_kt')) {
      out.push(at(launch, ERROR, PYTHON,
        t('`python src/train.py` runs one process, and with {0} GPUs visible LLaMA-Factory stops: it needs a distributed launch for several GPUs. Use `llamafactory-cli train` or torchrun, or make one GPU visible.', devices)));
    }
    // launcher.py re-joins the arguments with spaces for torchrun and splits them again.
    if (launch.launcher === 'llamafactory-cli' && launch.distributedLaunch !== false) {
      for (const o of launch.overrides.filter((x) => /\s/.test(x.text))) {
        out.push(at(launch, WARNING, SPACE,
          t('The override `{0}` contains a space; when `llamafactory-cli` re-launches through torchrun it joins the arguments with spaces and splits them again, so it arrives in pieces. Avoid spaces in overrides.', o.text)));
      }
    }
    return out;
  },
});
