// The rule pages (docs/rules/<code>.md) next to the bundle: server/out/cli.js
// in a checkout and in the npm package, which ships docs/rules.
import * as fs from 'node:fs';
import * as path from 'node:path';

const RULES_DIR = path.resolve(__dirname, '..', '..', 'docs', 'rules');
/** Where the generated part of a page ends; the hand-written text starts after it. */
export const GENERATED_END = '<!-- END GENERATED -->';

/** The page of `code`, or undefined when the pages are not installed. */
export function readRulePage(code: string): string | undefined {
  try {
    return fs.readFileSync(path.join(RULES_DIR, `${code}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

/** The page's one-line summary: the first paragraph of the hand-written text. */
export function rulePageSummary(code: string): string | undefined {
  const page = readRulePage(code);
  const body = page?.split(GENERATED_END)[1];
  const first = body?.trim().split(/\n\s*\n/)[0];
  return first ? first.replace(/\s+/g, ' ').trim() : undefined;
}
