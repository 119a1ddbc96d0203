// Builds the VSIX with @vscode/vsce (from the already built bundles) and lists
// what is inside it, read from the zip's central directory.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

/** Packages the extension into `outFile` as `npm run package` does (client and server must be built). */
export function packageVsix(outFile: string): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package-vsix.mjs'), outFile], { cwd: repoRoot, stdio: 'pipe', timeout: 120_000 });
}

export interface ZipEntry {
  name: string;
  size: number;
}

/** The entries of a zip file (no zip64: a VSIX is far below 4 GiB). */
export function listZip(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i} in ${file}`);
    const nameLength = buf.readUInt16LE(at + 28);
    entries.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLength), size: buf.readUInt32LE(at + 24) });
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}
