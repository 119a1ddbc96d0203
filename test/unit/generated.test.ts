// Generated fact files must match what the generators make from vendor/facts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { factsDir, repoRoot } from '../vendored';

test('committed generated files match the facts', async () => {
  // Loaded at run time: the generators are plain ES modules outside the TypeScript build.
  const load = new Function('u', 'return import(u)') as (u: string) => Promise<{ generateAll(f: string): Promise<Record<string, string>> }>;
  const { generateAll } = await load(pathToFileURL(path.join(repoRoot, 'scripts/generate.mjs')).href);
  const files = await generateAll(factsDir);
  assert.ok(Object.keys(files).length >= 3);
  for (const [rel, content] of Object.entries(files)) {
    assert.equal(readFileSync(path.join(repoRoot, rel), 'utf8'), content, `${rel} is out of date: run npm run generate`);
  }
});

test('the schema covers every accepted key', () => {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/llamafactory-v0.schema.json'), 'utf8'));
  const facts = JSON.parse(readFileSync(path.join(factsDir, 'args.json'), 'utf8')) as { counts: { total_accepted_keys: number } };
  assert.equal(Object.keys(schema.properties).length, facts.counts.total_accepted_keys);
  for (const [k, v] of Object.entries<{ markdownDescription: string }>(schema.properties)) {
    assert.ok(v.markdownDescription.split('\n\n').length >= 2, `${k} lacks our description`);
  }
});
