import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import descriptions from '../../schemas/src/descriptions.en.json';
import korean from '../../schemas/src/descriptions.ko.json';
import chinese from '../../schemas/src/descriptions.zh-cn.json';

import { factsDir } from '../vendored';

// Shared runs of text longer than this count as copied wording.
const maxSharedRun = 60;

const entries: [string, unknown][] = Object.entries(descriptions);

function windows(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= text.length; i++) out.push(text.slice(i, i + size));
  return out;
}

test('descriptions cover the known keys', () => {
  const facts = JSON.parse(readFileSync(path.join(factsDir, 'args.json'), 'utf8')) as { args: { name: string }[] };
  assert.deepEqual(new Set(Object.keys(descriptions)), new Set(facts.args.map((a) => a.name)));
});

const translations: Record<string, Record<string, unknown>> = { ko: korean, 'zh-cn': chinese };

function assertShortTexts(list: [string, unknown][]): void {
  for (const [key, value] of list) {
    assert.equal(typeof value, 'string', key);
    const text = value as string;
    assert.ok(text.trim().length > 0, `${key} is empty`);
    assert.ok(text.length < 600, `${key} has ${text.length} characters`);
  }
}

test('every description is a short non-empty string', () => {
  assertShortTexts(entries);
});

test('translations describe exactly the English keys, in the same order', () => {
  for (const [lang, table] of Object.entries(translations)) {
    assert.deepEqual(Object.keys(table), Object.keys(descriptions), lang);
    assertShortTexts(Object.entries(table));
  }
});

test('descriptions do not reuse the wording of the facts', () => {
  const facts = JSON.parse(readFileSync(path.join(factsDir, 'args.json'), 'utf8')) as { args: { name: string; description: string }[] };
  const texts = entries.map(([, v]) => v as string);
  const ownRuns = new Set(texts.flatMap((v) => windows(v, maxSharedRun + 1)));
  for (const arg of facts.args) {
    assert.ok(!texts.includes(arg.description), `a description equals the fact text of ${arg.name}`);
    for (const sentence of arg.description.split(/(?<=[.;])\s+/)) {
      const copied = windows(sentence, maxSharedRun + 1).find((w) => ownRuns.has(w));
      assert.equal(copied, undefined, `text copied from the fact for ${arg.name}: "${copied}"`);
    }
  }
});
