// fp8 on a GPU without FP8 tensor cores (NVIDIA before Ada/Hopper, MI200 and
// older, Apple, Intel, Ascend 910B). LLaMA-Factory and accelerate only check
// that an fp8 package is installed, so the float8 matmuls fail once training starts.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { removeKey } from '../../edits';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { truthy } from '../../values';
import { t } from '../../l10n';

const CODE = 'hw-fp8-unsupported';

export const fp8Rule: Rule = {
  codes: [CODE],
  covers: [],
  check(ctx: RuleContext): Diagnostic[] {
    const gpu = ctx.target?.gpu;
    const entry = ctx.doc.byKey.get('fp8');
    if (!gpu || !entry || !truthy(ctx.doc, 'fp8') || gpu.fp8 !== false) return [];
    return [
      makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, CODE,
        t('{0} has no FP8 tensor cores (they start with NVIDIA Ada/Hopper and AMD MI300). Nothing checks this before training, so the float8 layers fail at the first step. Remove `fp8`.', gpu.name),
        { gpu: gpu.id }),
    ];
  },
  fixes(ctx: RuleContext): Fix[] {
    return [{ title: t('Remove {0}', 'fp8'), edits: [removeKey(ctx.doc, 'fp8')!], isPreferred: true }];
  },
};
