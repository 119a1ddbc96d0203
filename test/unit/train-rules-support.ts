// Shared set-up for the train-rules tests: a ServiceHost over the real file
// system, and a runner that parses a file and applies the train rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import type { ConfigDocument } from '../../server/src/service/document';
import { trainRules } from '../../server/src/service/rules/train';
import type { Fix, RuleContext } from '../../server/src/service/rules/types';
import { defaultSettings, ServiceHost } from '../../server/src/service/types';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixtures = path.join(repoRoot, 'test/fixtures/train-rules');

/** ../shared next to the checkout (the main checkout), or two levels up (a worktree under wt/). */
export const corpusRoot = [path.resolve(repoRoot, '../shared/corpus/llamafactory'), path.resolve(repoRoot, '../../shared/corpus/llamafactory')]
  .find((p) => fs.existsSync(p)) ?? path.resolve(repoRoot, '../shared/corpus/llamafactory');

export function fsHost(searchRoots: string[] = [], env: Record<string, string> = {}): ServiceHost {
  return {
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    isDirectory: (p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    listDir: (p) => {
      try {
        return fs.readdirSync(p);
      } catch {
        return [];
      }
    },
    searchRoots: () => searchRoots,
    env: (n) => env[n],
    homeDir: () => '/nonexistent-home',
  };
}

export function contextFor(configPath: string, text = fs.readFileSync(configPath, 'utf8'), host = fsHost()): RuleContext {
  const doc: ConfigDocument = parseConfig(`file://${configPath}`, text);
  return { doc, configPath, host, settings: defaultSettings, target: undefined };
}

export function check(ctx: RuleContext): Diagnostic[] {
  return trainRules.flatMap((r) => r.check(ctx));
}

export function fixesFor(ctx: RuleContext, d: Diagnostic): Fix[] {
  return trainRules.filter((r) => r.codes.includes(String(d.code))).flatMap((r) => r.fixes?.(ctx, d) ?? []);
}

/** A diagnostic's message as plain text. */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
