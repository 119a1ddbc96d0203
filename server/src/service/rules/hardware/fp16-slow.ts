// fp16 on consumer Pascal (GTX 10, compute capability 6.1): no tensor cores and
// native fp16 math at 1/64 of the fp32 rate, so fp16 saves memory but is no
// faster, and some operations are much slower (gpu-rules.md §3).
import { recommendedPrecisions } from '../../hardware/catalog';
import { truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import { switchPrecision } from './precision';

const CODE = 'hw-fp16-slow';

export const fp16SlowRule = defineRule({
  codes: [CODE],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu || !ctx.doc.byKey.has('fp16') || !truthy(ctx.doc, 'fp16') || gpu.fp16Tensor || gpu.torchDevice !== 'cuda') return [];
    if (!recommendedPrecisions(gpu).every((p) => p === 'fp32')) return [];
    return {
      code: CODE,
      severity: WARNING,
      at: 'fp16',
      message: t('{0} has no tensor cores and runs native fp16 math at 1/64 of its fp32 speed: fp16 training saves memory but is no faster, and parts of it are very slow. Plain fp32 is the better choice unless memory is short.', gpu.name),
      data: { gpu: gpu.id },
      fixes: [{ title: t('Train in fp32 (remove fp16)'), ops: switchPrecision(ctx.doc, 'fp32'), preferred: true }],
    };
  },
});
