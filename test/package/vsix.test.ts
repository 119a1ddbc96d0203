// The VSIX carries the extension and server bundles, schema, snippets, manifest,
// README, CHANGELOG, LICENSE and icon, and nothing else: no node_modules, no
// TypeScript sources, no maps, no CLI (that ships with the npm package).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers';
import { listZip, packageVsix } from '../vsix';

const MAX_BYTES = 1.5 * 1024 * 1024;

test('the VSIX holds only what the extension needs at run time', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llamafactory-vsix-'));
  try {
    const file = path.join(dir, 'extension.vsix');
    packageVsix(file);
    const size = fs.statSync(file).size;
    t.diagnostic(`VSIX ${(size / 1024).toFixed(0)} KiB`);
    assert.ok(size < MAX_BYTES, `${size} bytes`);

    const names = listZip(file).map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const snippets = fs.existsSync(path.join(repoRoot, 'snippets')) ? fs.readdirSync(path.join(repoRoot, 'snippets')).map((f) => `snippets/${f}`) : [];
    const schemas = fs.readdirSync(path.join(repoRoot, 'schemas')).filter((f) => f.endsWith('.json')).map((f) => `schemas/${f}`);
    const nls = fs.readdirSync(repoRoot).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f));
    assert.equal(nls.length, 3, 'English, Korean and Chinese manifest strings');
    assert.deepEqual(names.sort(), [
      'LICENSE.txt', 'changelog.md', 'client/out/extension.js', 'images/icon.png', 'package.json', 'readme.md', ...nls,
      ...schemas, 'server/out/server.js', ...snippets,
    ].sort());

    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string; icon: string };
    assert.ok(names.includes(manifest.main.replace(/^\.\//, '')), 'the entry point is packed');
    assert.ok(names.includes(manifest.icon));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
