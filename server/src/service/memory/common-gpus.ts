// The GPUs and counts the what-fits table compares: the cards fine-tuning
// engineers most often have, from an 8 GB RTX 3060 to an H200.
import { gpuById } from '../hardware/catalog';
import type { GpuFacts } from '../hardware/types';

const IDS = ['rtx-3060-8gb', 'rtx-3060-12gb', 'rtx-4060-ti-16gb', 'rtx-3090', 'rtx-4090', 'rtx-5090', 'l4', 'a10g', 'l40s', 'a100-40gb-sxm', 'a100-80gb-sxm', 'h100-sxm-80gb', 'h200-sxm-141gb', 'mi300x'];

export const COMMON_GPUS: readonly GpuFacts[] = IDS.map((id) => gpuById(id)).filter((g): g is GpuFacts => g !== undefined);
export const COMMON_COUNTS: readonly number[] = [1, 2, 4, 8];
