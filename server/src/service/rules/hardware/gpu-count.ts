// Checks decided by how many GPUs the job runs on (`ctx.target.count`).
// `llamafactory-cli train` starts torchrun only with more than one GPU (or
// FORCE_TORCHRUN=1), so the count says whether the run is distributed.
import type { AnalysisContext } from '../../context';
import { argValue, pyTruthy, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import type { Finding } from '../rule';
import { preferred, setFix } from '../quick-fixes';
import { countSeverity } from './count';

const DEEPSPEED = 'hw-deepspeed-single-gpu';
const LAYERWISE = 'hw-layerwise-distributed';
const LAYOUT = 'hw-parallel-layout';

const PARALLEL_KEYS = ['tensor_model_parallel_size', 'pipeline_model_parallel_size', 'context_parallel_size', 'expert_model_parallel_size'];

/** Single-process features: the switch that turns them on and the layer-wise flag. */
const SINGLE_PROCESS = [
  { on: 'use_galore', key: 'galore_layerwise', what: () => t('Layer-wise GaLore') },
  { on: 'use_apollo', key: 'apollo_layerwise', what: () => t('Layer-wise APOLLO') },
] as const;

function gpus(n: number): string {
  return n === 1 ? t('1 GPU') : t('{0} GPUs', n);
}

export const gpuCountRule = defineRule({
  codes: [DEEPSPEED, LAYERWISE, LAYOUT],
  covers: ['R118', 'R125', 'R135', 'R136', 'R137'],
  check(ctx) {
    const target = ctx.target;
    if (!target) return [];
    const { doc } = ctx;
    const out: Finding[] = [];
    const count = target.count;
    if (count === 1 && truthy(doc, 'deepspeed') && !pyTruthy(forced(ctx))) {
      out.push({ code: DEEPSPEED, severity: WARNING, at: 'deepspeed',
        message: t('With 1 GPU, `llamafactory-cli train` does not start torchrun, and DeepSpeed then refuses a run that is not distributed. Launch with `FORCE_TORCHRUN=1`, or remove `deepspeed`.') });
    }
    if (count > 1) {
      for (const f of SINGLE_PROCESS) {
        if (!truthy(doc, f.on) || !truthy(doc, f.key)) continue;
        out.push({ code: LAYERWISE, severity: countSeverity(target), at: f.key,
          message: t('{0} runs in a single process only, but {1} make the run distributed. Set `{2}: false` or train on one GPU.', f.what(), gpus(count), f.key),
          fixes: [preferred(setFix(f.key, false, undefined, t('Set {0} to false', f.key)))] });
      }
      const mode = doc.byKey.get('badam_mode');
      if (mode && truthy(doc, 'use_badam') && argValue(doc, 'badam_mode') === 'ratio') {
        out.push({ code: LAYERWISE, severity: countSeverity(target), at: mode.valueRange,
          message: t('BAdam\'s ratio mode runs in a single process only, but {0} make the run distributed. Use `badam_mode: layer` with DeepSpeed ZeRO-3, or train on one GPU.', gpus(count)) });
      }
    }
    const sizes = PARALLEL_KEYS.map((k) => Number(argValue(doc, k)));
    const product = sizes.reduce((a, b) => a * (Number.isInteger(b) && b > 0 ? b : 1), 1);
    const first = PARALLEL_KEYS.map((k) => doc.byKey.get(k)).find((e) => e && Number(e.value) > 1);
    if (first && (product > count || count % product !== 0)) {
      // Megatron layouts span nodes; the target count may describe one of them, so this stays a warning.
      out.push({ code: LAYOUT, severity: WARNING, at: first.keyRange,
        message: t('The Megatron parallel sizes multiply to {0}, which must divide the number of GPUs; the target has {1}.', product, gpus(count)) });
    }
    return out;
  },
});

function forced(ctx: AnalysisContext): unknown {
  const v = ctx.host.env('FORCE_TORCHRUN');
  return v && !['0', 'false'].includes(v.toLowerCase()) ? v : undefined;
}
