// The GPU catalog the service checks configs against: one GpuFacts record per
// GPU of vendor/facts/gpus.json, keeping only the fields the code reads.
import { jsonText, readFacts } from '../lib/facts.mjs';

// CUDA reserves roughly this much for its context (facts: gpu-rules.md §10).
const CUDA_CONTEXT_GIB = 0.5;

/** Usable memory: the measured figure, else nvidia-smi's total less the CUDA context, else null. */
function usable(g) {
  if (typeof g.usable_gib_approx === 'number') return g.usable_gib_approx;
  if (typeof g.nvidia_smi_total_mib === 'number') return Math.round((g.nvidia_smi_total_mib / 1024 - CUDA_CONTEXT_GIB) * 10) / 10;
  return null;
}

/** Apple entries give a range ("8-24") and the configurations; the largest is the catalog size. */
function memory(g) {
  if (typeof g.memory_gb_marketed === 'number') return g.memory_gb_marketed;
  const configs = g.memory_configs_gb ?? String(g.memory_gb_marketed).split('-').map(Number);
  return Math.max(...configs);
}

export function generate(factsDir) {
  const gpus = readFacts(factsDir, 'gpus.json').map((g) => ({
    id: g.id,
    name: g.name,
    vendor: g.vendor,
    architecture: g.architecture,
    computeCapability: g.compute_capability,
    gfxTarget: g.gfx_target,
    torchDevice: g.torch_device.split(' ')[0],
    memoryGiB: memory(g),
    memoryOptionsGiB: g.memory_configs_gb ?? null,
    usableGiB: usable(g),
    bf16: g.bf16 === true ? 'native' : g.bf16,
    fp16Tensor: g.fp16_tensor,
    tf32: g.tf32,
    fp8: g.fp8,
    flashAttn2: g.flash_attn2,
    flashAttn3: g.flash_attn3,
    bitsandbytes: g.bitsandbytes,
    recommendedPrecision: g.recommended_precision,
  }));
  return { 'server/src/service/facts/gpus.json': jsonText(gpus) };
}
