// fp8 on a GPU without FP8 tensor cores (NVIDIA before Ada/Hopper, MI200 and
// older, Apple, Intel, Ascend 910B). LLaMA-Factory and accelerate only check
// that an fp8 package is installed, so the float8 matmuls fail once training starts.
import { truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';
import { preferred, removeFix } from '../quick-fixes';

const CODE = 'hw-fp8-unsupported';

export const fp8Rule = defineRule({
  codes: [CODE],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu || !truthy(ctx.doc, 'fp8') || gpu.fp8 !== false) return [];
    return {
      code: CODE,
      severity: ERROR,
      at: 'fp8',
      message: t('{0} has no FP8 tensor cores (they start with NVIDIA Ada/Hopper and AMD MI300). Nothing checks this before training, so the float8 layers fail at the first step. Remove `fp8`.', gpu.name),
      data: { gpu: gpu.id },
      fixes: [preferred(removeFix('fp8', t('Remove {0}', 'fp8')))],
    };
  },
});
