// Hostile input: alias bombs, huge files, binary junk, NUL bytes, invalid
// UTF-8 and deep nesting each end in a clear diagnostic (or a clean refusal)
// within a bounded time, and the limits are settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import type { ParseLimits } from '../../server/src/service';
import { normalizeSettings } from '../../server/src/settings';
import { memoryHost } from '../helpers';

const HEAD = 'model_name_or_path: Qwen/Qwen2.5-7B\nstage: sft\nfinetuning_type: lora\ntemplate: qwen\n';

function run(text: string, limits: Partial<ParseLimits> = {}) {
  const service = createLanguageService(memoryHost(), limits);
  const t0 = performance.now();
  const a = service.analyze({ uri: 'file:///work/hostile.yaml', text, configPath: '/work/hostile.yaml' }, defaultSettings);
  return { ms: performance.now() - t0, codes: a.diagnostics.map((d) => String(d.code)), kind: a.kind };
}

/** Nine levels of nine aliases each: 9^9 strings if expanded naively. */
function aliasBomb(): string {
  const names = 'abcdefghij';
  const lines = [`a: &a [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  return `${HEAD}${lines.join('\n')}\nlora_target: *j\n`;
}

// Generous bounds: CI machines are slow and shared; the point is that nothing hangs.
const BOUND_MS = 10_000;

test('an alias bomb is cut off with alias-limit', () => {
  const r = run(aliasBomb());
  assert.ok(r.codes.includes('alias-limit'));
  assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
});

test('a 10 MB file is refused with one warning', () => {
  const r = run(HEAD + 'x'.repeat(10_000_000));
  assert.deepEqual(r.codes, ['file-too-large']);
  assert.equal(r.kind, 'llamafactory-v0');
  assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
});

test('the size limit is a setting', () => {
  assert.deepEqual(run(HEAD + 'lora_rank: 8\n'.repeat(10), { maxChars: 100 }).codes, ['file-too-large']);
  const small = run(HEAD + 'lora_rank: 8\n'.repeat(100_000), { maxChars: 1_000 });
  assert.deepEqual(small.codes, ['file-too-large']);
  assert.ok(small.ms < BOUND_MS, `${small.ms} ms`);
  const s = normalizeSettings({ limits: { maxFileSize: 2_000, maxAliasExpansions: 500, maxNestingDepth: 20 } });
  assert.deepEqual(s.limits, { maxChars: 2_000, maxAliasExpansions: 500, maxDepth: 20 });
  assert.deepEqual(normalizeSettings({ limits: { maxFileSize: -1 } }).limits.maxChars, 5_000_000);
});

test('a 50,000-line file is analysed in bounded time', () => {
  const text = HEAD + Array.from({ length: 50_000 }, (_, i) => `key_${i}: value ${i}  # note`).join('\n');
  const r = run(text);
  assert.equal(r.codes.filter((c) => c === 'unknown-key').length, 50_000);
  assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
});

test('NUL bytes and binary junk are refused as binary content', () => {
  assert.deepEqual(run(`${HEAD}lora_rank: 8\u0000\u0001\u0002\n`).codes, ['binary-content']);
  const junk = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256)).toString('utf8');
  const r = run(HEAD + junk);
  assert.ok(r.codes.includes('binary-content') || r.codes.includes('yaml-syntax'));
  assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
});

test('invalid UTF-8 shows as invalid-utf8 where the bad bytes were', () => {
  const text = HEAD + Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]).toString('utf8'); // "# caf" + Latin-1 é
  const service = createLanguageService(memoryHost());
  const a = service.analyze({ uri: 'file:///work/latin1.yaml', text, configPath: '/work/latin1.yaml' }, defaultSettings);
  const d = a.diagnostics.find((x) => x.code === 'invalid-utf8');
  assert.ok(d);
  assert.deepEqual(d.range.start, { line: 4, character: 5 });
});

test('deep nesting is refused before the parser recurses into it', () => {
  for (const text of [
    `${HEAD}a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    `${HEAD}a: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`,
    HEAD + Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
  ]) {
    const r = run(text);
    assert.deepEqual(r.codes, ['nesting-too-deep']);
    assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
  }
  // Ordinary nesting (a DeepSpeed-like block, flow lists) stays well under the limit.
  assert.ok(!run(`${HEAD}x:\n  a:\n    b:\n      c: [1, [2, {d: 3}]]\n`).codes.includes('nesting-too-deep'));
});

test('old Mac line endings (lone CR) read like LF, as PyYAML and editors read them', () => {
  const lf = `${HEAD}lora_rank: 8  # note\nbf16: true\n`;
  const cr = lf.replace(/\n/g, '\r');
  const service = createLanguageService(memoryHost());
  const entries = (text: string) => service.parse({ uri: 'file:///work/cr.yaml', text, configPath: '/work/cr.yaml' }).entries.map((e) => [e.key, e.value, e.keyRange.start.line]);
  assert.deepEqual(entries(cr), entries(lf));
  assert.deepEqual(run(cr).codes, run(lf).codes);
});
