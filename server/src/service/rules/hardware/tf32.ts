// tf32: true raises in transformers unless the run is on an NVIDIA GPU of
// compute capability 8.0 or newer: the check also requires a CUDA build, so
// it fails on every ROCm device (even MI300, which has XF32 hardware) and on
// Apple, Intel, Gaudi and Ascend (R88).
import type { GpuFacts } from '../../hardware/types';
import { truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import { preferred, removeFix } from '../quick-fixes';

const CODE = 'hw-tf32-unsupported';

function why(gpu: GpuFacts): string {
  if (gpu.computeCapability) {
    return t('{0} (compute capability {1}) has no TF32 mode; transformers stops at start-up when `tf32: true` asks for it, which needs an Ampere or newer GPU.', gpu.name, gpu.computeCapability);
  }
  if (gpu.vendor === 'AMD') {
    return t('transformers only turns TF32 on for CUDA builds of PyTorch, so `tf32: true` stops the run at start-up on ROCm, {0} included.', gpu.name);
  }
  const npu = gpu.torchDevice === 'npu' ? ` ${t("(Ascend's own HF32 mode is a different setting of torch_npu)")}` : '';
  return t('TF32 is an NVIDIA mode that transformers only enables on CUDA, so `tf32: true` stops the run at start-up on {0}{1}.', gpu.name, npu);
}

export const tf32Rule = defineRule({
  codes: [CODE],
  covers: ['R88'],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu || !truthy(ctx.doc, 'tf32')) return [];
    if (gpu.computeCapability && gpu.tf32 === true) return [];
    return {
      code: CODE,
      severity: ERROR,
      at: 'tf32',
      message: t('{0} Remove `tf32`.', why(gpu)),
      data: { gpu: gpu.id },
      fixes: [preferred(removeFix('tf32', t('Remove {0}', 'tf32')))],
    };
  },
});
