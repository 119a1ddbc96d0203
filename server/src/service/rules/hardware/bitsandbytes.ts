// On-the-fly bitsandbytes quantization (`quantization_bit` with the default
// method `bnb`) and bnb 8-bit optimizers where bitsandbytes is limited
// (gpu-rules.md §7): LLM.int8 needs compute capability 7.5; the Apple, Gaudi
// and MI100 backends are partial or only in the newest release; Ascend needs
// a source build and `double_quantization: false`.
import type { GpuFacts } from '../../hardware/types';
import { argValue, truthy } from '../../values';
import { inMainWords } from '../../context/release/value-renames';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import type { Finding } from '../rule';
import { preferred, setFix } from '../quick-fixes';

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

export const bitsandbytesRule = defineRule({
  codes: [INT8, LIMITED, NPU_DOUBLE, OPTIM],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    if (!gpu) return [];
    const out: Finding[] = [];
    const data = { gpu: gpu.id };
    const bitEntry = ctx.doc.byKey.get('quantization_bit');
    const bits = Number(bitEntry?.value);
    if (bitEntry && truthy(ctx.doc, 'quantization_bit') && inMainWords(ctx.release, 'quantization_method', argValue(ctx.doc, 'quantization_method')) === 'bnb') {
      if (bits === 8 && isInt8Limited(gpu)) {
        out.push({ code: INT8, severity: WARNING, at: 'quantization_bit', data,
          message: t('bitsandbytes\' 8-bit (LLM.int8) quantization is listed for compute capability 7.5 and newer; {0} is {1}. Use 4-bit (`quantization_bit: 4`), which runs from 6.0.', gpu.name, String(gpu.computeCapability)),
          fixes: [preferred(setFix('quantization_bit', 4, undefined, t('Quantize to 4 bits')))] });
      }
      const note = backendNote(gpu, bits);
      if (note) out.push({ code: LIMITED, severity: WARNING, at: 'quantization_bit', message: note, data });
      if (gpu.torchDevice === 'npu' && truthy(ctx.doc, 'double_quantization')) {
        out.push({ code: NPU_DOUBLE, severity: WARNING, at: (ctx.doc.byKey.get('double_quantization') ?? bitEntry).keyRange, data,
          message: t('Double quantization (on by default) is not supported by bitsandbytes on Ascend; set `double_quantization: false`.'),
          fixes: [preferred(setFix('double_quantization', false, 'quantization_bit', t('Turn double quantization off')))] });
      }
    }
    const optim = ctx.doc.byKey.get('optim');
    if (optim && typeof optim.value === 'string' && /8bit/.test(optim.value) && !optim.value.startsWith('adamw_torch_')
      && (gpu.torchDevice === 'mps' || gpu.torchDevice === 'hpu')) {
      out.push({ code: OPTIM, severity: WARNING, at: optim.valueRange, data,
        message: t('bitsandbytes\' 8-bit optimizers do not run on {0} yet; pick a 32-bit optimizer such as `adamw_torch`.', gpu.name),
        fixes: [preferred(setFix('optim', 'adamw_torch', undefined, t('Use adamw_torch')))] });
    }
    return out;
  },
});
