// Hardware rules: checks decided by the target GPU (ctx.target). All of them
// are silent when no target is known.
import type { Rule } from '../rule';
import { bf16Rule } from './bf16';
import { bitsandbytesRule } from './bitsandbytes';
import { flashAttnRule } from './flash-attn';
import { fp16SlowRule } from './fp16-slow';
import { fp8Rule } from './fp8';
import { gpuCountRule } from './gpu-count';
import { precisionHintRule } from './precision-hint';
import { tf32Rule } from './tf32';

export const hardwareRules: readonly Rule[] = [
  bf16Rule,
  tf32Rule,
  fp8Rule,
  flashAttnRule,
  bitsandbytesRule,
  fp16SlowRule,
  gpuCountRule,
  precisionHintRule,
];

/** rules.md rows that depend on the GPU or the machine but that no hardware rule decides, and why. */
export const hardwareUndecidable: Record<string, string> = {
  R87: 'Dropping codecarbon from report_to on ROCm is harmless and changes nothing the user must fix.',
  R89: 'TF32 being switched on for torch_compile on Ampere+ is a silent speed-up, not a problem.',
  R124: 'Depends on how the process is launched (python vs llamafactory-cli/torchrun), which the config does not say.',
  R138: 'Layer-wise BAdam across GPUs needs ZeRO-3, read from the DeepSpeed JSON; left to the rule that reads DeepSpeed files.',
  R144: 'Ascend JIT-compile and vLLM spawn settings come from environment variables and need no config change.',
  R172: 'ddp_find_unused_parameters defaulting to false for LoRA under DDP is the right choice and needs no message.',
  R203: 'Describes when torchrun is used; the count-dependent rules (R125, R135-R137) act on it.',
  R207: 'The number of devices in a Ray cluster is not the target GPU count.',
  R229: 'Whether flash-attn is installed is unknown; the hardware side (fa2 before Ampere, fa3 off Hopper) is hw-flash-attn-unsupported.',
  R240: 'The dtype picked when no precision flag is set depends on the checkpoint dtype (config.json); precision-hint suggests a flag instead.',
};
