// A hint when a training config does not use the precision the facts
// recommend for the target GPU: bf16 from Ampere / MI200 on, fp16 on
// Volta/Turing, fp32 only without tensor cores. Silent when a warning of
// bf16.ts or fp16-slow.ts already covers the same choice.
import { recommendedPrecisions } from '../../hardware/catalog';
import type { AnalysisContext } from '../../context';
import { isTraining, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, INFO } from '../rule';
import { bf16Rule } from './bf16';
import { fp16SlowRule } from './fp16-slow';
import { configPrecision, precisionWords, switchPrecision } from './precision';

const CODE = 'hw-precision-hint';

/** Where the hint goes: the flag that sets the precision, else the do_train line. */
function anchor(ctx: AnalysisContext): string {
  const doc = ctx.doc;
  return ['bf16', 'pure_bf16', 'fp16'].find((k) => doc.byKey.has(k) && truthy(doc, k)) ?? 'do_train';
}

export const precisionHintRule = defineRule({
  codes: [CODE],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu || !isTraining(ctx.doc) || !ctx.doc.byKey.has('do_train')) return [];
    const current = configPrecision(ctx.doc);
    const recommended = recommendedPrecisions(gpu);
    if (!recommended.length || recommended.includes(current)) return [];
    if (bf16Rule.check(ctx).length || fp16SlowRule.check(ctx).length) return [];
    return {
      code: CODE,
      severity: INFO,
      at: anchor(ctx),
      message: t('This config trains in {0}; on {1} the usual choice is {2}.', current, gpu.name, precisionWords(recommended[0])),
      data: { gpu: gpu.id, recommended: recommended[0] },
      fixes: recommended.filter((p) => p !== current).map((p, i) => ({ title: t('Train in {0}', p), ops: switchPrecision(ctx.doc, p), ...(i === 0 ? { preferred: true } : {}) })),
    };
  },
});
