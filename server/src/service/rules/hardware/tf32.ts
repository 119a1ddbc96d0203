// tf32: true raises in transformers unless the run is on an NVIDIA GPU of
// compute capability 8.0 or newer: the check also requires a CUDA build, so
// it fails on every ROCm device (even MI300, which has XF32 hardware) and on
// Apple, Intel, Gaudi and Ascend (R88).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { GpuFacts } from '../../hardware/types';
import { removeKey } from '../../edits';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { truthy } from '../../values';
import { t } from '../../l10n';

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

export const tf32Rule: Rule = {
  codes: [CODE],
  covers: ['R88'],
  check(ctx: RuleContext): Diagnostic[] {
    const gpu = ctx.target?.gpu;
    const entry = ctx.doc.byKey.get('tf32');
    if (!gpu || !entry || !truthy(ctx.doc, 'tf32')) return [];
    if (gpu.computeCapability && gpu.tf32 === true) return [];
    return [makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, CODE, t('{0} Remove `tf32`.', why(gpu)), { gpu: gpu.id })];
  },
  fixes(ctx: RuleContext): Fix[] {
    return [{ title: t('Remove {0}', 'tf32'), edits: [removeKey(ctx.doc, 'tf32')!], isPreferred: true }];
  },
};
