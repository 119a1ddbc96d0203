// Reading a user's LLaMA-Factory source tree, as the server does on the first
// config below it: detection, the extractor, the release's facts and schemas.
// Each first read runs in a fresh Node process (`--child`), so the extractor's
// code is as cold as in a server that has just started; the same process then
// times what later keystrokes pay: a resolve inside the re-check window, and
// the comparison of every file read with the disk (by size and time).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createNodeHost } from '../server/src/nodeHost';
import { releaseResolver } from '../server/src/service/context/release/resolve';

export interface SourceRead {
  /** The folder given (a checkout or a package folder). */
  folder: string;
  /** The version the source names (extras/env.py). */
  version: string;
  files: number;
  bytes: number;
  /** The first read in each fresh process, ms. */
  first: number[];
  /** Median of a resolve while the read source is trusted (a keystroke within a second of the last check), ms. */
  trusted: number;
  /** Median of comparing every file read with the disk, ms. */
  recheck: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** In the child process: one first read, then the cached answers, as JSON on stdout. */
function child(folder: string): void {
  const base = createNodeHost(() => [folder], 2000);
  const read = new Map<string, number>();
  const host = {
    ...base,
    readFileNow: (p: string) => {
      const text = base.readFileNow?.(p);
      if (text !== undefined) read.set(p, Buffer.byteLength(text));
      return text;
    },
  };
  const resolver = releaseResolver(host);
  const choice = { value: folder, via: '--lf-path' as const };
  const config = path.join(folder, 'config.yaml');
  const t0 = performance.now();
  const release = resolver.resolve(config, '', choice);
  const first = performance.now() - t0;
  const time = (f: () => unknown): number => {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      f();
      times.push(performance.now() - s);
    }
    return median(times);
  };
  const trusted = time(() => resolver.resolve(config, '', choice));
  const recheck = time(() => resolver.recheck());
  const bytes = [...read.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ version: release.facts.name, problem: release.problem, files: read.size, bytes, first, trusted, recheck }));
}

function runChild(folder: string): Promise<{ version: string; problem?: string; files: number; bytes: number; first: number; trusted: number; recheck: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--child', folder], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill(), 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`reading ${folder} failed (exit ${code})`));
      else resolve(JSON.parse(out));
    });
  });
}

/** First reads of `folder` in `processes` fresh processes, and the cached answers of the last. */
export async function sourceRead(folder: string, processes = 7): Promise<SourceRead> {
  const runs = [];
  for (let i = 0; i < processes; i++) runs.push(await runChild(folder));
  const last = runs[runs.length - 1];
  if (last.problem) throw new Error(last.problem);
  return { folder, version: last.version, files: last.files, bytes: last.bytes, first: runs.map((r) => r.first), trusted: last.trusted, recheck: last.recheck };
}

if (require.main === module && process.argv[2] === '--child') child(process.argv[3]);
