// fp16 on consumer Pascal (GTX 10, compute capability 6.1): no tensor cores and
// native fp16 math at 1/64 of the fp32 rate, so fp16 saves memory but is no
// faster, and some operations are much slower (gpu-rules.md §3).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { recommendedPrecisions } from '../../hardware/catalog';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { switchPrecision } from './precision';
import { truthy } from '../../values';
import { t } from '../../l10n';

const CODE = 'hw-fp16-slow';

export const fp16SlowRule: Rule = {
  codes: [CODE],
  covers: [],
  check(ctx: RuleContext): Diagnostic[] {
    const gpu = ctx.target?.gpu;
    const entry = ctx.doc.byKey.get('fp16');
    if (!gpu || !entry || !truthy(ctx.doc, 'fp16') || gpu.fp16Tensor || gpu.torchDevice !== 'cuda') return [];
    if (!recommendedPrecisions(gpu).every((p) => p === 'fp32')) return [];
    return [
      makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, CODE,
        t('{0} has no tensor cores and runs native fp16 math at 1/64 of its fp32 speed: fp16 training saves memory but is no faster, and parts of it are very slow. Plain fp32 is the better choice unless memory is short.', gpu.name),
        { gpu: gpu.id }),
    ];
  },
  fixes(ctx: RuleContext): Fix[] {
    return [{ title: t('Train in fp32 (remove fp16)'), edits: switchPrecision(ctx.doc, 'fp32'), isPreferred: true }];
  },
};
