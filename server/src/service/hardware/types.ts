// The GPU facts the service reads, one record per GPU of the generated catalog
// (server/src/service/facts/gpus.json, built from ../shared/facts/gpus.json).

export type Support = 'native' | 'emulated' | 'unsupported' | 'partial' | 'supported' | string;

export interface GpuFacts {
  id: string;
  name: string;
  vendor: string;
  architecture: string;
  /** NVIDIA compute capability like "8.0"; null for other vendors. */
  computeCapability: string | null;
  /** `cuda`, `mps`, `npu`, `xpu`, `hpu`. */
  torchDevice: string;
  memoryGiB: number;
  /** Memory PyTorch can actually use, when the facts give it. */
  usableGiB: number | null;
  bf16: Support;
  fp16Tensor: boolean;
  tf32: boolean;
  fp8: boolean;
  flashAttn2: Support;
  flashAttn3: boolean;
  bitsandbytes: Support;
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
