// Shared setup for the hardware tests: a ServiceHost over node:fs, fixtures,
// targets by catalog id, and running the hardware rules and their fixes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import type { ConfigDocument } from '../../server/src/service/document';
import { applyEdits } from '../../server/src/service/edits';
import { gpuById } from '../../server/src/service/hardware/catalog';
import type { TargetGpu } from '../../server/src/service/hardware/types';
import { hardwareRules } from '../../server/src/service/rules/hardware';
import { resolveFixes } from '../../server/src/service/fixes';
import { runRules } from '../../server/src/service/rules/run';
import { defaultSettings } from '../../server/src/service/types';
import type { AnalysisContext } from '../../server/src/service/context';
import { corpusDir, fsHost, repoRoot } from '../helpers';

export { repoRoot };
export const corpus = corpusDir;

export function fixture(name: string): { path: string; doc: ConfigDocument } {
  const p = path.join(repoRoot, 'test/fixtures/hardware', name);
  return { path: p, doc: parseConfig(`file://${p}`, fs.readFileSync(p, 'utf8')) };
}

export function target(id: string, count = 1, source: TargetGpu['source'] = 'setting'): TargetGpu {
  const gpu = gpuById(id);
  if (!gpu) throw new Error(`no catalog id ${id}`);
  return { gpu, count, source };
}

export function context(doc: ConfigDocument, t: TargetGpu | undefined, configPath = '/tmp/config.yaml', env: Record<string, string> = {}): AnalysisContext {
  return { doc, configPath, host: fsHost([corpus], env), settings: defaultSettings, target: t };
}

export function check(ctx: AnalysisContext): Diagnostic[] {
  return runRules(hardwareRules, ctx, 'llamafactory-v0');
}

/** Applies the preferred fix `d` carries and returns the new text. */
export function applyPreferredFix(ctx: AnalysisContext, d: Diagnostic): string {
  const fixes = resolveFixes(ctx.doc, d);
  const fix = fixes.find((f) => f.isPreferred) ?? fixes[0];
  if (!fix) throw new Error(`no fix for ${d.code}`);
  return applyEdits(ctx.doc, fix.edits);
}

/** Whole-line comments of a text, to check that fixes keep them. */
export function comments(text: string): string[] {
  return text.split('\n').filter((l) => l.trimStart().startsWith('#'));
}
