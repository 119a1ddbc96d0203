// On-the-fly bitsandbytes quantization (`quantization_bit` with the default
// method `bnb`) and bnb 8-bit optimizers where bitsandbytes is limited
// (gpu-rules.md §7): LLM.int8 needs compute capability 7.5; the Apple, Gaudi
// and MI100 backends are partial or only in the newest release; Ascend needs
// a source build and `double_quantization: false`.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { insertKey, setValue } from '../../edits';

import type { GpuFacts } from '../../hardware/types';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { argValue, truthy } from '../../values';
import { t } from '../../l10n';

const INT8 = 'hw-bnb-int8-unsupported';
const LIMITED = 'hw-bnb-limited';
const NPU_DOUBLE = 'hw-bnb-npu-double-quant';
const OPTIM = 'hw-bnb-optim-unsupported';

function backendNote(gpu: GpuFacts, bits: number): string | undefined {
  switch (gpu.torchDevice) {
    case 'mps':
      return t('bitsandbytes\' Apple backend is new: 0.49 has only a slow implementation, 0.50 is the first with 4-bit and 8-bit support on {0}.', gpu.name);
    case 'npu':
      return t('bitsandbytes has no released Ascend build: it must be compiled from its multi-backend-refactor branch with the NPU backend to quantize on {0}.', gpu.name);
    case 'hpu':
      return bits === 4 ? t('bitsandbytes supports 4-bit quantization on Gaudi only partly.') : undefined;
  }
  if (gpu.bitsandbytes === 'supported_recent') {
    return t('bitsandbytes supports {0} ({1}) only from release 0.50 on; older releases fail to load.', gpu.name, String(gpu.gfxTarget));
  }
  return undefined;
}

function isInt8Limited(gpu: GpuFacts): boolean {
  const cc = gpu.computeCapability?.split('.').map(Number);
  return cc !== undefined && (cc[0] < 7 || (cc[0] === 7 && cc[1] < 5));
}

export const bitsandbytesRule: Rule = {
  codes: [INT8, LIMITED, NPU_DOUBLE, OPTIM],
  covers: [],
  check(ctx: RuleContext): Diagnostic[] {
    const gpu = ctx.target?.gpu;
    if (!gpu) return [];
    const out: Diagnostic[] = [];
    const bitEntry = ctx.doc.byKey.get('quantization_bit');
    const bits = Number(bitEntry?.value);
    if (bitEntry && truthy(ctx.doc, 'quantization_bit') && argValue(ctx.doc, 'quantization_method') === 'bnb') {
      if (bits === 8 && isInt8Limited(gpu)) {
        out.push(makeDiagnostic(bitEntry.keyRange, DiagnosticSeverity.Warning, INT8,
          t('bitsandbytes\' 8-bit (LLM.int8) quantization is listed for compute capability 7.5 and newer; {0} is {1}. Use 4-bit (`quantization_bit: 4`), which runs from 6.0.', gpu.name, String(gpu.computeCapability)),
          { gpu: gpu.id }));
      }
      const note = backendNote(gpu, bits);
      if (note) out.push(makeDiagnostic(bitEntry.keyRange, DiagnosticSeverity.Warning, LIMITED, note, { gpu: gpu.id }));
      if (gpu.torchDevice === 'npu' && truthy(ctx.doc, 'double_quantization')) {
        const at = ctx.doc.byKey.get('double_quantization')?.keyRange ?? bitEntry.keyRange;
        out.push(makeDiagnostic(at, DiagnosticSeverity.Warning, NPU_DOUBLE,
          t('Double quantization (on by default) is not supported by bitsandbytes on Ascend; set `double_quantization: false`.'),
          { gpu: gpu.id }));
      }
    }
    const optim = ctx.doc.byKey.get('optim');
    if (optim && typeof optim.value === 'string' && /8bit/.test(optim.value) && !optim.value.startsWith('adamw_torch_')
      && (gpu.torchDevice === 'mps' || gpu.torchDevice === 'hpu')) {
      out.push(makeDiagnostic(optim.valueRange, DiagnosticSeverity.Warning, OPTIM,
        t('bitsandbytes\' 8-bit optimizers do not run on {0} yet; pick a 32-bit optimizer such as `adamw_torch`.', gpu.name),
        { gpu: gpu.id }));
    }
    return out;
  },
  fixes(ctx: RuleContext, diagnostic: Diagnostic): Fix[] {
    if (diagnostic.code === INT8) {
      return [{ title: t('Quantize to 4 bits'), edits: [setValue(ctx.doc, 'quantization_bit', 4)!], isPreferred: true }];
    }
    if (diagnostic.code === NPU_DOUBLE) {
      const edit = ctx.doc.byKey.has('double_quantization')
        ? setValue(ctx.doc, 'double_quantization', false)!
        : insertKey(ctx.doc, 'double_quantization', false, 'quantization_bit');
      return [{ title: t('Turn double quantization off'), edits: [edit], isPreferred: true }];
    }
    if (diagnostic.code === OPTIM) {
      return [{ title: t('Use adamw_torch'), edits: [setValue(ctx.doc, 'optim', 'adamw_torch')!], isPreferred: true }];
    }
    return [];
  },
};

