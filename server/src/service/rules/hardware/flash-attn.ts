// flash_attn: fa2 / fa3 on a GPU their kernels do not run on. LLaMA-Factory
// only checks that the package imports: on NVIDIA before Ampere, flash-attn 2
// installs and then fails inside the kernel; FlashAttention-3 is built for
// Hopper only. Elsewhere (Apple, Intel, Gaudi, MI100) the package cannot be
// installed, so LLaMA-Factory warns and keeps the default attention.
import type { GpuFacts } from '../../hardware/types';
import { t } from '../../l10n';
import { defineRule, DiagnosticSeverity } from '../rule';
import { preferred, setFix } from '../quick-fixes';

const CODE = 'hw-flash-attn-unsupported';
const PARTIAL_CODE = 'hw-flash-attn-partial';

function problem(gpu: GpuFacts, value: string): { severity: DiagnosticSeverity; code: string; message: string } | undefined {
  const nvidia = gpu.computeCapability !== null;
  if (value === 'fa2') {
    if (gpu.flashAttn2 === 'partial') {
      return { severity: DiagnosticSeverity.Information, code: PARTIAL_CODE,
        message: t('FlashAttention-2 on {0} needs flash-attn\'s Triton backend (FLASH_ATTENTION_TRITON_AMD_ENABLE=TRUE) or a build from its main branch; without it LLaMA-Factory keeps the default attention.', gpu.name) };
    }
    if (gpu.flashAttn2 !== 'unsupported') return undefined;
    if (nvidia) {
      return { severity: DiagnosticSeverity.Error, code: CODE,
        message: t('FlashAttention-2 needs an Ampere or newer GPU; on {0} (compute capability {1}) its kernels stop the run at the first step. Use `sdpa`.', gpu.name, String(gpu.computeCapability)) };
    }
    return { severity: DiagnosticSeverity.Warning, code: CODE,
      message: t('The flash-attn package does not support {0}, so LLaMA-Factory warns and falls back to the default attention. Write `sdpa` to say what runs.', gpu.name) };
  }
  if (value === 'fa3' && !gpu.flashAttn3) {
    if (nvidia) {
      return { severity: DiagnosticSeverity.Error, code: CODE,
        message: t('FlashAttention-3 runs on Hopper GPUs (H100, H200, GH200) only; {0} cannot run its kernels. Use `sdpa` (or `fa2` on Ampere and newer).', gpu.name) };
    }
    return { severity: DiagnosticSeverity.Warning, code: CODE,
      message: t('FlashAttention-3 is built for NVIDIA Hopper only, so on {0} LLaMA-Factory warns and falls back to the default attention. Write `sdpa` to say what runs.', gpu.name) };
  }
  return undefined;
}

export const flashAttnRule = defineRule({
  codes: [CODE, PARTIAL_CODE],
  check(ctx) {
    const gpu = ctx.target?.gpu;
    const entry = ctx.doc.byKey.get('flash_attn');
    if (!gpu || !entry || typeof entry.value !== 'string') return [];
    const found = problem(gpu, entry.value);
    return found && {
      ...found,
      at: entry.valueRange,
      data: { gpu: gpu.id },
      fixes: found.code === CODE ? [preferred(setFix('flash_attn', 'sdpa', undefined, t('Use PyTorch SDPA attention')))] : [],
    };
  },
});
