// Each broken fixture carries `# expect: <severity> <code>` on the lines that
// must be flagged; the diagnostics must match exactly (nothing more). Valid
// fixtures must get nothing. Every offered fix must remove its diagnostic,
// keep the other comments, and leave a file that parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/edits';
import { trainRules } from '../../server/src/service/rules/train';
import { check, contextFor, fixesFor, fixtures, messageOf } from './train-rules-support';

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

const comments = (text: string) => text.split('\n').map((l) => l.match(/(?:^|\s)(#.*)$/)?.[1]).filter((c): c is string => c !== undefined);

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
  let applied = 0;
  for (const name of yamlFiles(brokenDir)) {
    const file = path.join(brokenDir, name);
    const ctx = contextFor(file);
    for (const d of check(ctx)) {
      for (const fix of fixesFor(ctx, d)) {
        const fixed = applyEdits(ctx.doc, fix.edits);
        const label = `${name}: ${fix.title}`;
        assert.notEqual(fixed, ctx.doc.text, `${label} changed nothing`);
        const after = contextFor(file, fixed);
        assert.deepEqual(after.doc.problems, [], `${label} broke the YAML`);
        const line = d.range.start.line;
        assert.ok(!check(after).some((x) => x.code === d.code && x.range.start.line === line), `${label} left ${String(d.code)}`);
        const kept = comments(fixed);
        const removedLines = new Set(fix.edits.filter((e) => e.newText === '').flatMap((e) => range(e.range.start.line, e.range.end.line)));
        const expectedComments = ctx.doc.text.split('\n').filter((_, i) => !removedLines.has(i)).join('\n');
        for (const c of comments(expectedComments)) assert.ok(kept.includes(c), `${label} dropped comment ${c}`);
        // Applying the same fix again: the diagnostic is gone, so the fix is no longer offered.
        const again = check(after).filter((x) => x.code === d.code).flatMap((x) => fixesFor(after, x)).filter((f) => f.title === fix.title);
        for (const f of again) assert.equal(applyEdits(after.doc, f.edits), fixed, `${label} is not idempotent`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 60, `only ${applied} fixes were exercised`);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
