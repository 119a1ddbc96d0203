// The upstream v0 examples are valid configs: the argument rules must not
// report a single error on any of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { argsRules, argsUndecidable } from '../../server/src/service/rules/args';
import { configCountsByContent, v0Examples } from '../corpus';
import { factsDir } from '../vendored';
import { contextFor, corpusRoot, runRules } from './args-rules-support';

test('the corpus holds every upstream v0 example config', () => {
  assert.equal(v0Examples().length, configCountsByContent().v0);
});

test('no upstream v0 example gets an error from the argument rules', () => {
  const errors: string[] = [];
  for (const file of v0Examples()) {
    const ctx = contextFor(file);
    assert.equal(ctx.doc.kind, 'llamafactory-v0', `${file} should classify as a v0 config`);
    for (const d of runRules(ctx)) {
      if (d.severity === DiagnosticSeverity.Error) errors.push(`${path.relative(corpusRoot, file)}:${d.range.start.line + 1} ${d.code}: ${d.message}`);
    }
  }
  assert.deepEqual(errors, []);
});

test('every row of rules.md sections 1-6 is implemented by a rule or explained', () => {
  const rulesMd = fs.readFileSync(path.join(factsDir, 'rules.md'), 'utf8');
  const start = rulesMd.indexOf('## 1.');
  const end = rulesMd.indexOf('## 7.');
  const rows = [...rulesMd.slice(start, end).matchAll(/^\| (R\d+) \|/gm)].map((m) => m[1]);
  assert.ok(rows.length > 100);
  const covered = new Set(argsRules.flatMap((r) => r.covers));
  const open = rows.filter((r) => covered.has(r) === (r in argsUndecidable));
  assert.deepEqual(open, [], 'each row is either covered or explained, never both or neither');
});
