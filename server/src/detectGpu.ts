// Finds the local GPU by running nvidia-smi (then rocm-smi). The server calls
// this only when the user turned `llamafactory.detectGpu` on AND the client
// says the workspace is trusted; the result is kept for the session.
import { execFile } from 'node:child_process';
import { parseNvidiaSmi, parseRocmSmi } from './service';
import type { DetectedGpu } from './service';

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

let cached: Promise<DetectedGpu | undefined> | undefined;

export function detectGpu(): Promise<DetectedGpu | undefined> {
  cached ??= (async () => {
    const nvidia = await run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader']);
    const found = nvidia !== undefined ? parseNvidiaSmi(nvidia) : undefined;
    if (found) return found;
    const rocm = await run('rocm-smi', ['--showproductname']);
    return rocm !== undefined ? parseRocmSmi(rocm) : undefined;
  })();
  return cached;
}
