// Reads the text the GPU query tools print. Pure parsing: the server runs
// the processes (only in trusted workspaces) and hands the output here.
import type { DetectedGpu } from './target';

/**
 * Output of `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader`:
 * one `NAME, 81920 MiB` line per GPU. Returns the first GPU's name and how
 * many GPUs share it; undefined when no line is a GPU (errors, no devices).
 */
export function parseNvidiaSmi(output: string): DetectedGpu | undefined {
  const gpus: { name: string; memoryMiB?: number }[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*,\s*(?:(\d+)\s*MiB|\[N\/A\]|[^,]*)\s*$/i.exec(line);
    const name = (m ? m[1] : line).trim();
    // Anything that is not a `name, memory` row is an error message, not a GPU.
    if (!m || /failed|not found|no devices|error|couldn't|unable/i.test(name)) continue;
    gpus.push({ name, ...(m[2] ? { memoryMiB: Number(m[2]) } : {}) });
  }
  return summarize(gpus);
}

/**
 * Output of `rocm-smi --showproductname`: `GPU[0] : Card Series: AMD Instinct MI300X`
 * lines (older releases write "Card series"). Falls back to the card model when
 * it is a name rather than a PCI id, then to the GFX version.
 */
export function parseRocmSmi(output: string): DetectedGpu | undefined {
  const fields = new Map<string, Map<string, string>>();
  for (const raw of output.split(/\r?\n/)) {
    const m = /^\s*GPU\[(\d+)\]\s*:\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(raw);
    if (!m || !m[3]) continue;
    const gpu = fields.get(m[1]) ?? new Map<string, string>();
    gpu.set(m[2].toLowerCase(), m[3]);
    fields.set(m[1], gpu);
  }
  const gpus: { name: string }[] = [];
  for (const f of fields.values()) {
    const model = f.get('card model');
    const name = f.get('card series') ?? (model && !/^0x[0-9a-f]+$/i.test(model) ? model : undefined) ?? f.get('gfx version');
    if (name) gpus.push({ name });
  }
  return summarize(gpus);
}

function summarize(gpus: { name: string; memoryMiB?: number }[]): DetectedGpu | undefined {
  if (!gpus.length) return undefined;
  const first = gpus[0];
  const count = gpus.filter((g) => g.name === first.name).length;
  return { name: first.name, count, ...(first.memoryMiB !== undefined ? { memoryMiB: first.memoryMiB } : {}) };
}
