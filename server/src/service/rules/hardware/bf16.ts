// bf16 on a GPU without bfloat16 hardware (NVIDIA before Ampere, Apple M1/M2).
// transformers' device check counts emulation as support on PyTorch 2.3+, so
// the run starts and trains slower than fp32; older PyTorch refuses (R79, R133).
import { recommendedPrecisions } from '../../hardware/catalog';
import type { Precision } from '../../hardware/catalog';
import type { GpuFacts } from '../../hardware/types';
import type { Fix } from '../../fixes';
import type { AnalysisContext } from '../../context';
import { truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import { precisionWords, replaceFlag, switchPrecision } from './precision';

const CODE = 'hw-bf16-emulated';
const KEYS = ['bf16', 'pure_bf16', 'bf16_full_eval'];

function why(gpu: GpuFacts): string {
  if (gpu.torchDevice === 'mps') {
    return t('{0} has no bfloat16 hardware: Metal emulates it in fp32, so it is no faster and needs macOS 14 and PyTorch 2.6 or newer.', gpu.name);
  }
  return t('{0} has no bfloat16 hardware (compute capability {1}): PyTorch 2.3+ emulates it in fp32, slower than plain fp32, and older PyTorch refuses to start.', gpu.name, String(gpu.computeCapability));
}

/** One fix per precision the GPU runs well, best first; `bf16_full_eval` only changes how evaluation runs. */
function fixes(ctx: AnalysisContext, gpu: GpuFacts, key: string): Fix[] {
  const choices = recommendedPrecisions(gpu).filter((p): p is Exclude<Precision, 'bf16'> => p !== 'bf16');
  return choices.map((p, i) => {
    const evalOnly = key === 'bf16_full_eval';
    const ops = evalOnly ? replaceFlag(ctx.doc, key, p === 'fp16' ? 'fp16_full_eval' : undefined) : switchPrecision(ctx.doc, p);
    const title = evalOnly
      ? (p === 'fp16' ? t('Evaluate in fp16 instead of bf16') : t('Evaluate in fp32 instead of bf16'))
      : t('Train in {0} instead of bf16', p);
    return { title, ops, ...(i === 0 ? { preferred: true } : {}) };
  });
}

export const bf16Rule = defineRule({
  codes: [CODE],
  covers: ['R79', 'R133'],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu || gpu.bf16 !== 'emulated') return [];
    const use = recommendedPrecisions(gpu)[0] ?? 'fp32';
    return KEYS.filter((k) => truthy(ctx.doc, k) && ctx.doc.byKey.has(k)).map((k) => ({
      code: CODE,
      severity: WARNING,
      at: k,
      message: t('{0} Use {1} on this GPU.', why(gpu), precisionWords(use)),
      data: { gpu: gpu.id, key: k },
      fixes: fixes(ctx, gpu, k),
    }));
  },
});
