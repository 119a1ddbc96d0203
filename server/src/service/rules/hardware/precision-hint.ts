// A hint when a training config does not use the precision the facts
// recommend for the target GPU: bf16 from Ampere / MI200 on, fp16 on
// Volta/Turing, fp32 only without tensor cores. Silent when a warning of
// bf16.ts or fp16-slow.ts already covers the same choice.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { recommendedPrecisions } from '../../hardware/catalog';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { configPrecision, precisionWords, switchPrecision } from './precision';
import { bf16Rule } from './bf16';
import { fp16SlowRule } from './fp16-slow';
import { isTraining, truthy } from '../../values';
import { t } from '../../l10n';

const CODE = 'hw-precision-hint';

/** Where the hint goes: the flag that sets the precision, else the do_train line. */
function anchor(ctx: RuleContext): Range {
  const doc = ctx.doc;
  const flag = ['bf16', 'pure_bf16', 'fp16'].find((k) => doc.byKey.has(k) && truthy(doc, k));
  return doc.byKey.get(flag ?? 'do_train')!.keyRange;
}

export const precisionHintRule: Rule = {
  codes: [CODE],
  covers: [],
  check(ctx: RuleContext): Diagnostic[] {
    const gpu = ctx.target?.gpu;
    if (!gpu || !isTraining(ctx.doc) || !ctx.doc.byKey.has('do_train')) return [];
    const current = configPrecision(ctx.doc);
    const recommended = recommendedPrecisions(gpu);
    if (!recommended.length || recommended.includes(current)) return [];
    if (bf16Rule.check(ctx).length || fp16SlowRule.check(ctx).length) return [];
    return [
      makeDiagnostic(anchor(ctx), DiagnosticSeverity.Information, CODE,
        t('This config trains in {0}; on {1} the usual choice is {2}.', current, gpu.name, precisionWords(recommended[0])),
        { gpu: gpu.id, recommended: recommended[0] }),
    ];
  },
  fixes(ctx: RuleContext): Fix[] {
    const gpu = ctx.target?.gpu;
    if (!gpu) return [];
    const current = configPrecision(ctx.doc);
    return recommendedPrecisions(gpu)
      .filter((p) => p !== current)
      .map((p, i) => ({ title: t('Train in {0}', p), edits: switchPrecision(ctx.doc, p), isPreferred: i === 0 }));
  },
};
