// Shared set-up for the train-rules tests: a ServiceHost over the real file
// system, and a runner that parses a file and applies the train rules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import { applyEdits } from '../../server/src/service/edits';
import type { ConfigDocument } from '../../server/src/service/document';
import { trainRules } from '../../server/src/service/rules/train';
import { resolveFixes } from '../../server/src/service/fixes';
import type { ResolvedFix } from '../../server/src/service/fixes';
import { runRules } from '../../server/src/service/rules/run';
import { releaseResolver, versionDirective } from '../../server/src/service/context/release/resolve';
import { asReleaseReads } from '../../server/src/service/values';
import { defaultSettings } from '../../server/src/service/types';
import type { AnalysisContext } from '../../server/src/service/context';
import { corpusDir, fsHost, repoRoot } from '../helpers';

export { fsHost, repoRoot };
export const fixtures = path.join(repoRoot, 'test/fixtures/train-rules');
export const corpusRoot = corpusDir;

/** The context of a fixture; one that names a release (`# llamafactory-version: 0.9.3`) is checked against it, the others against main. */
export function contextFor(configPath: string, text = fs.readFileSync(configPath, 'utf8'), host = fsHost()): AnalysisContext {
  const doc: ConfigDocument = parseConfig(`file://${configPath}`, text);
  const release = versionDirective(text) ? releaseResolver(host).resolve(configPath, text) : undefined;
  return { doc: asReleaseReads(doc, release?.schemas.v0), configPath, host, settings: defaultSettings, target: undefined, ...(release ? { release } : {}) };
}

export function check(ctx: AnalysisContext): Diagnostic[] {
  return runRules(trainRules, ctx, 'llamafactory-v0');
}

export function fixesFor(ctx: AnalysisContext, d: Diagnostic): ResolvedFix[] {
  return resolveFixes(ctx.doc, d);
}

/** A diagnostic's message as plain text. */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

const comments = (text: string) => text.split('\n').map((l) => l.match(/(?:^|\s)(#.*)$/)?.[1]).filter((c): c is string => c !== undefined);

function lines(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Applies every fix offered for every diagnostic of `ctx`, one at a time, and asserts
 * the result parses, no longer has that diagnostic, keeps every comment outside the
 * removed lines, and that a fix offered again changes nothing. Returns how many fixes ran.
 */
export function checkFixes(ctx: AnalysisContext): number {
  let applied = 0;
  for (const d of check(ctx)) {
    for (const fix of fixesFor(ctx, d)) {
      const fixed = applyEdits(ctx.doc, fix.edits);
      const label = `${ctx.configPath}: ${fix.title}`;
      assert.notEqual(fixed, ctx.doc.text, `${label} changed nothing`);
      const after = contextFor(ctx.configPath, fixed, ctx.host);
      assert.deepEqual(after.doc.problems, [], `${label} broke the YAML`);
      const line = d.range.start.line;
      assert.ok(!check(after).some((x) => x.code === d.code && x.range.start.line === line), `${label} left ${String(d.code)}`);
      const removed = new Set(fix.edits.filter((e) => e.newText === '').flatMap((e) => lines(e.range.start.line, e.range.end.line)));
      const kept = comments(fixed);
      for (const c of comments(ctx.doc.text.split('\n').filter((_, i) => !removed.has(i)).join('\n'))) assert.ok(kept.includes(c), `${label} dropped comment ${c}`);
      const again = check(after).filter((x) => x.code === d.code).flatMap((x) => fixesFor(after, x)).filter((f) => f.title === fix.title);
      for (const f of again) assert.equal(applyEdits(after.doc, f.edits), fixed, `${label} is not idempotent`);
      applied++;
    }
  }
  return applied;
}
