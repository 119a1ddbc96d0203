// Shared by the argument-rule tests: a ServiceHost over the real file system,
// a rule runner and the fixture locations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import type { ConfigDocument } from '../../server/src/service/document';
import { argsRules } from '../../server/src/service/rules/args';
import { resolveFixes } from '../../server/src/service/fixes';
import type { ResolvedFix } from '../../server/src/service/fixes';
import { runRules as run } from '../../server/src/service/rules/run';
import { defaultSettings } from '../../server/src/service/types';
import type { ServiceHost } from '../../server/src/service/types';
import type { AnalysisContext } from '../../server/src/service/context';
import { corpusDir, fsHost, repoRoot } from '../helpers';

export { repoRoot };
export const corpusRoot = corpusDir;
export const fixturesDir = path.join(repoRoot, 'test/fixtures/args-rules');
const host: ServiceHost = fsHost([corpusRoot]);

export function contextFor(configPath: string, text = fs.readFileSync(configPath, 'utf8')): AnalysisContext {
  const doc: ConfigDocument = parseConfig(`file://${configPath}`, text);
  return { doc, configPath, host, settings: defaultSettings, target: undefined };
}

export function runRules(ctx: AnalysisContext): Diagnostic[] {
  return run(argsRules, ctx, 'llamafactory-v0');
}

export function fixesFor(ctx: AnalysisContext, d: Diagnostic): ResolvedFix[] {
  return resolveFixes(ctx.doc, d);
}

/** Full-line comments of a YAML text, in order. */
export function commentLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^\s*#/.test(l));
}
