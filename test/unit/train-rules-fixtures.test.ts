// Each broken fixture carries `# expect: <severity> <code>` on the lines that
// must be flagged; the diagnostics must match exactly (nothing more). Valid
// fixtures must get nothing. Every offered fix must remove its diagnostic,
// keep the other comments, and leave a file that parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { trainRules } from '../../server/src/service/rules/train';
import { check, checkFixes, contextFor, fixtures, messageOf } from './train-rules-support';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};
const brokenDir = path.join(fixtures, 'checkout/examples/broken');
const validDir = path.join(fixtures, 'checkout/examples/valid');
const yamlFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function expectations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/expect: (\w+) ([\w-]+);/g)) out.push(`${i + 1} ${SEVERITY[m[1]]} ${m[2]}`);
  });
  return out.sort();
}


for (const name of yamlFiles(brokenDir)) {
  test(`broken fixture ${name}`, () => {
    const file = path.join(brokenDir, name);
    const ctx = contextFor(file);
    const expected = expectations(ctx.doc.text);
    assert.ok(expected.length > 0, 'fixture has no expectation');
    const got = check(ctx).map((d) => `${d.range.start.line + 1} ${d.severity} ${d.code}`).sort();
    assert.deepEqual(got, expected);
  });
}

for (const name of yamlFiles(validDir)) {
  test(`valid fixture ${name} gets nothing`, () => {
    const got = check(contextFor(path.join(validDir, name)));
    assert.deepEqual(got.map((d) => `${d.range.start.line + 1} ${d.code}: ${messageOf(d)}`), []);
  });
}

test('every code has a broken fixture', () => {
  const seen = new Set(yamlFiles(brokenDir).flatMap((n) => expectations(fs.readFileSync(path.join(brokenDir, n), 'utf8')).map((e) => e.split(' ')[2])));
  const missing = trainRules.flatMap((r) => r.codes).filter((c) => !seen.has(c));
  assert.deepEqual(missing, []);
});

test('every fix removes its diagnostic, keeps other comments and is idempotent', () => {
  const applied = yamlFiles(brokenDir).reduce((n, name) => n + checkFixes(contextFor(path.join(brokenDir, name))), 0);
  assert.ok(applied >= 60, `only ${applied} fixes were exercised`);
});
