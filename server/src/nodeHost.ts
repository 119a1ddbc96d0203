// The ServiceHost over the real file system, used by the server and the CLI
// (the service itself never imports fs). Reads are capped so a huge file
// named by a config cannot stall analysis. Answers can be kept for a moment
// (`freshForMs`): while a user types, the files a config refers to do not
// change between keystrokes, and re-reading them on each one would dominate.
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { FileStat, ServiceHost } from './service';

const MAX_REFERENCED_FILE = 16 * 1024 * 1024;

function readFile(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > MAX_REFERENCED_FILE) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function stat(p: string): FileStat | undefined {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function readBytes(p: string, start: number, end: number): Promise<Uint8Array> {
  const handle = await fs.promises.open(p, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, end - start));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(p: string): string[] {
  try {
    return fs.readdirSync(p);
  } catch {
    return [];
  }
}

/** `fn` with each answer remembered for `ms` milliseconds. */
function remembered<T>(fn: (p: string) => T, ms: number): (p: string) => T {
  if (ms <= 0) return fn;
  const seen = new Map<string, { at: number; value: T }>();
  return (p) => {
    const now = Date.now();
    const hit = seen.get(p);
    if (hit && now - hit.at < ms) return hit.value;
    const value = fn(p);
    if (seen.size > 10_000) seen.clear();
    seen.set(p, { at: now, value });
    return value;
  };
}

export function createNodeHost(roots: () => string[] = () => [process.cwd()], freshForMs = 0): ServiceHost {
  return {
    readFile: remembered(readFile, freshForMs),
    readFileNow: readFile,
    isDirectory: remembered(isDirectory, freshForMs),
    listDir: remembered(listDir, freshForMs),
    searchRoots: roots,
    env: (name) => process.env[name],
    homeDir: () => os.homedir(),
    stat,
    readBytes,
  };
}
