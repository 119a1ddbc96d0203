// Runs every compiled test file with Node's built-in runner. Node 20 does not
// expand globs itself, so the files are listed here. Pass a tier name
// (unit, lsp, cli, e2e, ...) to run only that folder. LLAMAFACTORY_SKIP_E2E=1
// leaves out the real-editor tier (out/test/e2e) for quick local runs.
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
const skipE2e = process.env.LLAMAFACTORY_SKIP_E2E === '1';
const e2eDir = join(root, 'e2e');
const files = collect(root)
  .filter((f) => tiers.length === 0 || tiers.some((t) => f.startsWith(join(root, t))))
  .filter((f) => !(skipE2e && f.startsWith(e2eDir)));
if (skipE2e) console.log('LLAMAFACTORY_SKIP_E2E=1: the real-editor tier (VS Code, Neovim) is skipped');
if (files.length === 0 && skipE2e && tiers.length > 0 && tiers.every((t) => t === 'e2e')) process.exit(0);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
