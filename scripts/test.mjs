// Runs every compiled test file with Node's built-in runner. Node 20 does not
// expand globs itself, so the files are listed here. Pass a tier name
// (unit, lsp, cli, ...) to run only that folder.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = 'out/test';
const tiers = process.argv.slice(2);
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return collect(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}
const files = collect(root).filter((f) => tiers.length === 0 || tiers.some((t) => f.startsWith(join(root, t))));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
