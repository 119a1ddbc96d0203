// Packs the VSIX from a staging folder. The npm package and the VSIX ship
// different files (the CLI and the rule pages go to npm only, the extension
// bundle to the VSIX only), and vsce refuses a manifest with a `files` list
// next to a .vscodeignore; so the files that .vscodeignore lets through are
// copied into a folder whose manifest has no `files`, and vsce runs there.
// Usage: node scripts/package-vsix.mjs [OUT.vsix]   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A `.vscodeignore` line (`**`, `*`, literal text) as a regular expression over forward-slash paths. */
function patternToRegExp(pattern) {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\/?/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${re}$`);
}

/** The repository's files that `.vscodeignore` (`**` then `!path` lines) lets into the VSIX. */
export function vsixFiles() {
  const allowed = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => patternToRegExp(l.slice(1)));
  const walk = (dir) => fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : walk(rel);
    return allowed.some((re) => re.test(rel)) ? [rel] : [];
  });
  return walk('');
}

export function packageVsix(outFile) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'llamafactory-vsix-stage-'));
  try {
    for (const rel of vsixFiles()) {
      fs.mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(stage, rel));
    }
    // The staged manifest: no npm file list, no scripts (nothing to build there).
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    delete manifest.files;
    delete manifest.scripts;
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(stage, '.vscodeignore'));
    const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', path.resolve(outFile)], { cwd: stage, stdio: 'pipe' });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const out = process.argv[2] ?? `llamafactory-config-tools-${version}.vsix`;
  packageVsix(out);
  console.log(`packed ${out}`);
}
