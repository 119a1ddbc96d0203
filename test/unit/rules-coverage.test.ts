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
  assert.equal(parseRulesMd(text).length, 267);
  const md = coverageMarkdown(text);
  assert.equal(readFileSync(path.join(repoRoot, 'docs', 'rules-coverage.md'), 'utf8'), md, 'run npm run docs:rules');
  assert.ok(!md.includes('**not covered**'));
});
