// Every rule is written one way, and no rule code a user may have written in a
// disable comment or a severity setting disappears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCodes } from '../../server/src/service';
import { rules } from '../../server/src/service/rules';
import { isDefinedRule } from '../../server/src/service/rules/rule';
import { repoRoot } from '../helpers';

const codes = new Set(rules.flatMap((r) => r.codes));

test('every registered rule is made by defineRule', () => {
  assert.deepEqual(rules.filter((r) => !isDefinedRule(r)).map((r) => r.codes.join(', ')), []);
});

test('no two rules claim the same code', () => {
  const all = rules.flatMap((r) => r.codes);
  assert.deepEqual(all.filter((c, i) => all.indexOf(c) !== i), []);
});

test('the committed code list and the registered codes are the same set (add-only contract)', () => {
  const listed = fs.readFileSync(path.join(repoRoot, 'test/fixtures/rule-codes.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.ok(listed.length > 100, `only ${listed.length} codes listed`);
  const registered = new Set(allCodes());
  assert.deepEqual(listed.filter((c) => !registered.has(c)), []);
  const kept = new Set(listed);
  assert.deepEqual(allCodes().filter((c) => !kept.has(c)), [], 'append these to test/fixtures/rule-codes.txt');
});

test('every code docs/rules-coverage.md names still exists', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs/rules-coverage.md'), 'utf8');
  // The last column names the implementing codes in backticks.
  const named = doc.split('\n').filter((l) => l.startsWith('| R')).flatMap((l) => {
    const last = l.split(' | ').at(-1) ?? '';
    return last.startsWith('—') ? [] : [...last.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
  });
  assert.ok(named.length > 100, `only ${named.length} codes named`);
  assert.deepEqual([...new Set(named)].filter((c) => !codes.has(c)), []);
});

test('rule modules build rules only through defineRule', () => {
  const dir = path.join(repoRoot, 'server/src/service/rules');
  const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && f !== 'rule.ts');
  const handMade = files.filter((f) => /:\s*Rule\s*=\s*\{/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
  assert.deepEqual(handMade, []);
});
