// Message catalogs: the English bundle matches the t('...') calls in the code,
// every translation has exactly its keys and placeholders, and the locale
// switch reaches diagnostics.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { getLocale, normalizeLocale, setLocale, t } from '../../server/src/service/l10n';
import { keyHoverMarkdown, subKeyHoverMarkdown } from '../../server/src/service/features/hover';
import { schemaFor } from '../../server/src/service/schema/schema';
import { analyzeText, fixturesDir, fsHost, repoRoot } from '../helpers';

interface Extraction {
  keys: string[];
  content: string;
  errors: string[];
}

const bundle = (name: string): Record<string, string> => JSON.parse(readFileSync(path.join(repoRoot, 'l10n', name), 'utf8'));
const placeholders = (s: string): string[] => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

test('the English bundle lists exactly the t() keys in the code', async () => {
  // Loaded at run time: the extractor is a plain ES module outside the TypeScript build.
  const load = new Function('u', 'return import(u)') as (u: string) => Promise<{ extract(repo: string): Extraction }>;
  const { extract } = await load(pathToFileURL(path.join(repoRoot, 'scripts/l10n-extract.mjs')).href);
  const r = extract(repoRoot);
  assert.deepEqual(r.errors, []);
  assert.ok(r.keys.length > 100, `only ${r.keys.length} messages`);
  assert.equal(readFileSync(path.join(repoRoot, 'l10n/bundle.l10n.json'), 'utf8'), r.content, 'run node scripts/l10n-extract.mjs');
});

for (const lang of ['ko', 'zh-cn']) {
  test(`the ${lang} catalog translates every English message, and nothing else`, () => {
    const english = Object.keys(bundle('bundle.l10n.json'));
    const table = bundle(`bundle.l10n.${lang}.json`);
    assert.deepEqual(english.filter((k) => !(k in table)), [], 'missing');
    assert.deepEqual(Object.keys(table).filter((k) => !english.includes(k)), [], 'stale');
    for (const [k, v] of Object.entries(table)) {
      assert.ok(typeof v === 'string' && v.trim().length > 0, `${k}: empty`);
      assert.deepEqual(placeholders(v), placeholders(k), `${k}: placeholders differ`);
    }
  });
}

test('locale tags normalise to the supported languages', () => {
  assert.equal(normalizeLocale('ko-KR'), 'ko');
  assert.equal(normalizeLocale('ko_KR.UTF-8'), 'ko');
  assert.equal(normalizeLocale('zh-CN'), 'zh-cn');
  assert.equal(normalizeLocale('zh-Hans'), 'zh-cn');
  assert.equal(normalizeLocale('zh_CN.UTF-8'), 'zh-cn');
  assert.equal(normalizeLocale('zh-TW'), 'en');
  assert.equal(normalizeLocale('de'), 'en');
  assert.equal(normalizeLocale(undefined), 'en');
});

test('t substitutes placeholders and falls back to English', () => {
  try {
    setLocale('ko');
    assert.equal(getLocale(), 'ko');
    assert.equal(t('no such message {0} {1}', 'a', 2), 'no such message a 2');
  } finally {
    setLocale('en');
  }
});

test('with the Korean locale a diagnostic comes out in Korean', () => {
  const text = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\nlearning_rat: 1.0e-4\n';
  const english = analyzeText(text).diagnostics.find((d) => d.code === 'unknown-key');
  assert.ok(english, 'unknown-key in English');
  try {
    setLocale('ko');
    const korean = analyzeText(text).diagnostics.find((d) => d.code === 'unknown-key');
    assert.ok(korean);
    assert.notEqual(korean.message, english.message);
    assert.match(String(korean.message), /[\uac00-\ud7a3]/);
    assert.match(String(korean.message), /learning_rat/);
  } finally {
    setLocale('en');
  }
});

test('the manifest takes every %key% from package.nls.json, and ko and zh-cn translate exactly those keys', () => {
  const read = (name: string): Record<string, string> => JSON.parse(readFileSync(path.join(repoRoot, name), 'utf8'));
  const english = read('package.nls.json');
  const used = [...readFileSync(path.join(repoRoot, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(used)].sort(), Object.keys(english).sort());
  for (const lang of ['ko', 'zh-cn']) {
    const table = read(`package.nls.${lang}.json`);
    assert.deepEqual(Object.keys(table).sort(), Object.keys(english).sort(), lang);
    for (const v of Object.values(table)) assert.ok(v.trim().length > 0);
  }
});

/** Every YAML fixture under test/fixtures. */
function fixtureFiles(dir = fixturesDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? fixtureFiles(p) : e.name.endsWith('.yaml') ? [p] : [];
  });
}

test('under ko and zh-cn every fixture diagnostic, related note and fix title is translated', () => {
  // Catches texts computed once at import (still English after setLocale) and texts that bypass t().
  const scripts: Record<string, RegExp> = { ko: /[\uac00-\ud7a3]/, 'zh-cn': /[\u4e00-\u9fff]/ };
  const host = fsHost([fixturesDir]);
  const untranslated = new Set<string>();
  try {
    for (const [lang, script] of Object.entries(scripts)) {
      setLocale(lang);
      for (const file of fixtureFiles()) {
        const a = analyzeText(readFileSync(file, 'utf8'), { host, configPath: file, settings: { gpu: 'v100-32gb-sxm2' } });
        for (const d of a.diagnostics) {
          const texts = [String(d.message), ...(d.relatedInformation ?? []).map((r) => r.message)];
          const titles = a.service.codeActions(a.context, d.range, [d]).map((c) => c.title);
          for (const text of [...texts, ...titles]) if (!script.test(text)) untranslated.add(`${lang} ${String(d.code)}: ${text}`);
        }
      }
    }
  } finally {
    setLocale('en');
  }
  assert.deepEqual([...untranslated], []);
});

test('v1 key descriptions exist in ko and zh-cn for exactly the English keys, and hover uses them', () => {
  const read = (name: string): Record<string, string> => JSON.parse(readFileSync(path.join(repoRoot, 'schemas/src', name), 'utf8'));
  const english = read('descriptions-v1.en.json');
  for (const lang of ['ko', 'zh-cn']) {
    const table = read(`descriptions-v1.${lang}.json`);
    assert.deepEqual(Object.keys(table), Object.keys(english), lang);
    for (const v of Object.values(table)) assert.ok(v.trim().length > 0 && v.length < 600);
  }
  try {
    setLocale('ko');
    const md = keyHoverMarkdown('micro_batch_size', schemaFor('llamafactory-v1'));
    assert.ok(md);
    assert.ok(md.includes(read('descriptions-v1.ko.json').micro_batch_size), md);
    assert.match(md, /유형: /);
    const sub = subKeyHoverMarkdown('peft_config', 'lora', 'r', schemaFor('llamafactory-v1')!);
    assert.ok(sub?.includes(read('descriptions-v1.ko.json')['peft_config.r']), sub);
  } finally {
    setLocale('en');
  }
  assert.ok(keyHoverMarkdown('micro_batch_size', schemaFor('llamafactory-v1'))?.includes(english.micro_batch_size));
});
