// The GPU facts the service reads, one record per GPU of the generated catalog
// (server/src/service/facts/gpus.json, built from vendor/facts/gpus.json by
// scripts/generators/gpus.mjs).

/** `native`, `emulated` (runs, slowly) or `unverified`. */
export type Bf16Support = 'native' | 'emulated' | 'unverified';

export interface GpuFacts {
  id: string;
  name: string;
  vendor: string;
  architecture: string;
  /** NVIDIA compute capability like "8.0"; null for other vendors. */
  computeCapability: string | null;
  /** AMD LLVM target like "gfx942"; null for other vendors. */
  gfxTarget: string | null;
  /** `cuda` (also ROCm builds), `mps`, `npu`, `xpu`, `hpu`. */
  torchDevice: string;
  /** Marketed memory in GiB (NVIDIA/AMD "GB" is binary); for Apple the largest configuration. */
  memoryGiB: number;
  /** Apple unified-memory configurations in GiB; null for GPUs with one size. */
  memoryOptionsGiB: number[] | null;
  /** Memory PyTorch can use when the facts give it (see usableMemoryGiB for the fallback). */
  usableGiB: number | null;
  bf16: Bf16Support;
  /** Has fp16 tensor (matrix) cores. */
  fp16Tensor: boolean;
  /** Hardware TF32 (or "unverified"); transformers only uses it on NVIDIA, see the tf32 rule. */
  tf32: boolean | 'unverified';
  fp8: boolean | 'unverified';
  /** `supported`, `supported_build_cuda_12.8+`, `supported_rocm`, `partial`, `npu_native` or `unsupported`. */
  flashAttn2: string;
  flashAttn3: boolean;
  /** `supported`, `supported_recent` (newest bitsandbytes only) or `partial`. */
  bitsandbytes: string;
  /** `bf16`, `fp16`, `fp32`, or two choices joined by `_or_` (first preferred). */
  recommendedPrecision: string;
}

/** The GPU a config is checked against, and where that choice came from. */
export interface TargetGpu {
  gpu: GpuFacts;
  count: number;
  source: 'directive' | 'setting' | 'detected' | 'cli';
  /** Set when the written name matched loosely ("a100" → "A100 80GB SXM"), to say which was picked. */
  matchNote?: string;
}
