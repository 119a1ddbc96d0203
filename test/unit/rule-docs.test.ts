// docs/rules/<code>.md: one page per code, the generated top current, the
// hand-written part complete (summary, what LLaMA-Factory does, how to fix,
// an example), and the keys its fixed examples use real keys.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allCodes } from '../../server/src/service';
import { coverageRows, END, renderPage, SECTIONS, TODO } from '../../tools/rule-docs';
import { repoRoot } from '../helpers';

const dir = path.join(repoRoot, 'docs', 'rules');
const page = (code: string) => readFileSync(path.join(dir, `${code}.md`), 'utf8');
const schemaKeys = (file: string) => Object.keys((JSON.parse(readFileSync(path.join(repoRoot, 'schemas', file), 'utf8')) as { properties: object }).properties);
const KNOWN = new Set([...schemaKeys('llamafactory-v0.schema.json'), ...schemaKeys('llamafactory-v1.schema.json')]);
/** Codes whose fixed example is not a LLaMA-Factory config, or shows no keys at all. */
const NOT_A_CONFIG = new Set(['config-invalid', 'internal-error', 'file-too-large', 'alias-limit', 'nesting-too-deep', 'accelerate-unknown-key', 'accelerate-invalid-value', 'accelerate-num-processes']);

test('every code has a page, and every page a code', () => {
  const pages = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(pages, [...allCodes()]);
});

test('the generated part of every page is current (npm run docs:rules)', () => {
  const coverage = coverageRows(readFileSync(path.join(repoRoot, 'docs', 'rules-coverage.md'), 'utf8'));
  for (const code of allCodes()) assert.equal(page(code), renderPage(code, coverage, page(code)), code);
});

test('every page has its hand-written summary, sections and example', () => {
  for (const code of allCodes()) {
    const written = page(code).split(END)[1];
    assert.ok(!written.includes(TODO) && !/^TODO$/m.test(written), `${code}: still a stub`);
    const summary = written.trim().split('\n')[0];
    assert.ok(summary.length > 10 && !summary.startsWith('#'), `${code}: summary line`);
    const at = SECTIONS.map((s) => written.indexOf(`\n${s}\n`));
    assert.ok(at.every((i, n) => i > 0 && (n === 0 || i > at[n - 1])), `${code}: sections ${SECTIONS.join(', ')} in order`);
    // dataset_info.json's own codes show JSON.
    assert.match(written.slice(at[2]), /```(yaml|json)\n[\s\S]+?```/, `${code}: a YAML or JSON example`);
  }
});

test('the fixed examples use keys LLaMA-Factory knows', () => {
  for (const code of allCodes()) {
    if (NOT_A_CONFIG.has(code)) continue;
    const fixed = page(code).split('\nFixed:\n')[1];
    if (!fixed) continue;
    const block = /```yaml\n([\s\S]*?)```/.exec(fixed)?.[1] ?? '';
    for (const [, key] of block.matchAll(/^([a-z_0-9]+):/gm)) assert.ok(KNOWN.has(key), `${code}: \`${key}\` in the fixed example`);
  }
});
