// docs/rules-coverage.md is generated from rules.md and the registry: it must be
// current, and every row must be implemented or explained.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { coverageMarkdown, parseRulesMd } from '../../tools/rules-coverage';
import { factsDir, repoRoot } from '../vendored';

const rulesMd = path.join(factsDir, 'rules.md');

test('the coverage table is current and leaves no row unexplained', () => {
  const text = readFileSync(rulesMd, 'utf8');
  // Every R-number the file mentions is a row, and the rows run R1, R2, ... without a gap.
  const ids = parseRulesMd(text).map((r) => r.id);
  const highest = Math.max(...[...text.matchAll(/\bR(\d+)\b/g)].map((m) => Number(m[1])));
  assert.deepEqual(ids, Array.from({ length: highest }, (_, i) => `R${i + 1}`));
  const md = coverageMarkdown(text);
  assert.equal(readFileSync(path.join(repoRoot, 'docs', 'rules-coverage.md'), 'utf8'), md, 'run npm run docs:rules');
  assert.ok(!md.includes('**not covered**'));
});
