// The generated GPU catalog and lookups by id.
import catalogJson from '../facts/gpus.json';
import type { GpuFacts } from './types';

export const gpuCatalog: readonly GpuFacts[] = catalogJson as GpuFacts[];

const byId = new Map(gpuCatalog.map((g) => [g.id, g]));

/** The catalog entry with this exact id. */
export function gpuById(id: string): GpuFacts | undefined {
  return byId.get(id);
}

/**
 * Device memory a training process holds outside PyTorch's allocator: the CUDA
 * context, loaded kernels and the cuBLAS workspace. Measured 0.749 GiB on every
 * run of bench/calibration/h200-measurements.csv (`outside_torch_gib`, torch 2.11,
 * CUDA 13); the calibration notes give 0.3-1.3 GiB across CUDA versions, and
 * facts gpu-rules.md §10 "about 0.5 GiB (approximate)". The estimate's nvidia-smi
 * figure and the usable memory below both subtract this one value.
 */
export const CUDA_CONTEXT_GIB = 0.75;
// Metal lets the GPU wire roughly 2/3 to 3/4 of unified memory by default; the lower bound is used.
const APPLE_GPU_SHARE = 2 / 3;

/**
 * Memory a training process can use on one GPU: the measured figure when the
 * facts give one, else the marketed size less the CUDA context (for Apple, the
 * default share Metal grants the GPU of the given or largest configuration).
 */
export function usableMemoryGiB(gpu: GpuFacts, configuredGiB?: number): number {
  if (gpu.torchDevice === 'mps') return Math.round((configuredGiB ?? gpu.memoryGiB) * APPLE_GPU_SHARE * 10) / 10;
  return gpu.usableGiB ?? gpu.memoryGiB - CUDA_CONTEXT_GIB;
}

/** Major NVIDIA compute capability (8 for "8.6"); undefined for other vendors. */
export function ccMajor(gpu: GpuFacts): number | undefined {
  return gpu.computeCapability ? Number(gpu.computeCapability.split('.')[0]) : undefined;
}

/** The precisions the facts recommend, best first (`bf16_or_fp16` → bf16, fp16). */
export function recommendedPrecisions(gpu: GpuFacts): Precision[] {
  return gpu.recommendedPrecision.split('_or_').filter((p): p is Precision => p === 'bf16' || p === 'fp16' || p === 'fp32');
}

export type Precision = 'bf16' | 'fp16' | 'fp32';
