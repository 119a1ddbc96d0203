// One realistic broken config per argument-rule code (test/fixtures/args-rules):
// a trailing `# <- severity code` marks the line each diagnostic must sit on.
// Every offered fix must remove its diagnostic, keep the comments, and be
// idempotent; the configs under valid/ must get no diagnostic at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/edits';
import { argsRules } from '../../server/src/service/rules/args';
import { resolveFixes } from '../../server/src/service/fixes';
import type { Fix } from '../../server/src/service/fixes';
import { commentLines, contextFor, fixesFor, fixturesDir, runRules } from './args-rules-support';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** `line:severity:code` for every marker in the text. */
function expectedMarkers(text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const m = /# <- (.*)$/.exec(line);
    if (!m) return [];
    return m[1].split(';').map((part) => {
      const [sev, code] = part.trim().split(/\s+/);
      return `${i}:${SEVERITY[sev]}:${code}`;
    });
  });
}

const describe = (d: Diagnostic): string => `${d.range.start.line}:${d.severity}:${d.code}`;
const fixtures = fs.readdirSync(fixturesDir).filter((n) => n.endsWith('.yaml')).sort();

test('every code the argument rules emit has a broken fixture', () => {
  const codes = argsRules.flatMap((r) => r.codes);
  assert.deepEqual(fixtures.map((f) => f.replace(/\.yaml$/, '')).sort(), [...new Set(codes)].sort());
});

for (const name of fixtures) {
  const file = path.join(fixturesDir, name);
  const text = fs.readFileSync(file, 'utf8');

  test(`${name}: exactly the marked diagnostics`, () => {
    const ctx = contextFor(file, text);
    const got = runRules(ctx).map(describe).sort();
    assert.deepEqual(got, expectedMarkers(text).sort());
    assert.ok(got.some((g) => g.endsWith(`:${name.replace(/\.yaml$/, '')}`)), 'the fixture shows its own code');
  });

  test(`${name}: each fix removes its diagnostic, keeps comments and is idempotent`, () => {
    const ctx = contextFor(file, text);
    for (const d of runRules(ctx)) {
      const fixes = fixesFor(ctx, d);
      fixes.forEach((fix) => {
        const fixed = applyEdits(ctx.doc, fix.edits);
        const after = contextFor(file, fixed);
        assert.deepEqual(after.doc.problems, [], `${fix.title}: the result parses`);
        const kept = commentLines(fixed);
        for (const c of commentLines(text)) assert.ok(kept.includes(c), `${fix.title}: comment kept: ${c}`);
        const before = runRules(ctx).filter((x) => x.code === d.code).length;
        const remaining = runRules(after).filter((x) => x.code === d.code).length;
        assert.ok(remaining < before, `${fix.title}: ${d.code} goes away`);
        // The same fix, recomputed on the fixed text, either is no longer possible or changes nothing.
        const spec = (d.data as { fixes: Fix[] }).fixes.filter((f) => f.title === fix.title);
        for (const f of resolveFixes(after.doc, { ...d, data: { fixes: spec } })) {
          assert.equal(applyEdits(after.doc, f.edits), fixed, `${fix.title}: applying it again changes nothing`);
        }
      });
    }
  });
}

const validDir = path.join(fixturesDir, 'valid');
for (const name of fs.readdirSync(validDir).filter((n) => n.endsWith('.yaml')).sort()) {
  test(`valid/${name}: no diagnostics`, () => {
    const ctx = contextFor(path.join(validDir, name));
    assert.deepEqual(runRules(ctx).map((d) => `${describe(d)} ${d.message}`), []);
  });
}
