// One build: type-check and emit everything with tsc (tests run on that output),
// then bundle the three shipped entry points with esbuild so the VSIX and the
// bins need no node_modules at run time. `--bundles` skips tsc: the npm
// `prepare` step (git installs, `npm pack`, pre-commit) only needs the bins.
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
if (!process.argv.includes('--bundles')) {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', '.'], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', 'client'], { stdio: 'inherit' });
  // The extension-host scenarios need the vscode and mocha types, so they have their own project.
  execFileSync(process.execPath, [tsc, '-p', 'test/e2e/suite'], { stdio: 'inherit' });
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  // Minified for the VSIX and the npm package; the maps (never shipped) keep stack traces readable.
  minify: true,
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
  // jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
for (const bin of ['server/out/server.js', 'server/out/cli.js']) chmodSync(bin, 0o755);
