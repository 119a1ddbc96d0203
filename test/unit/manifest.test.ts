// The extension manifest's listing details: the networked setting is tagged,
// virtual workspaces are declared, and the fix-all kind the server offers is
// contributed so that editor.codeActionsOnSave can name it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FIX_ALL_KIND } from '../../server/src/service';
import { repoRoot } from '../helpers';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

test('the only setting that reaches the network carries the usesOnlineServices tag', () => {
  const props = manifest.contributes.configuration.properties as Record<string, { tags?: string[] }>;
  assert.deepEqual(Object.keys(props).filter((k) => props[k].tags?.includes('usesOnlineServices')), ['llamafactory.hubLookup']);
});

test('virtual workspaces are declared unsupported, with a reason', () => {
  assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  assert.match(manifest.capabilities.virtualWorkspaces.description, /^%[\w.]+%$/);
});

test('the fix-all kind the server offers is contributed for YAML', () => {
  const kinds = (manifest.contributes.codeActions as { languages: string[]; actions: { kind: string }[] }[]).flatMap((c) => c.actions.map((a) => [c.languages.join(), a.kind]));
  assert.deepEqual(kinds, [['yaml', FIX_ALL_KIND]]);
  assert.equal(FIX_ALL_KIND, 'source.fixAll.llamafactory');
});

test('the npm package builds its bins on pack and git installs, and ships no runtime dependencies', () => {
  assert.match(manifest.scripts.prepare, /scripts\/build\.mjs --bundles/);
  assert.equal(manifest.dependencies, undefined);
  for (const lib of ['yaml', 'ajv', 'vscode-languageserver', 'smol-toml', 'es-hangul', 'ignore']) assert.ok(manifest.devDependencies[lib], lib);
});
