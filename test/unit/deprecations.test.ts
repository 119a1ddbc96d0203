// Deprecation has one home: the JSON Schema's English note (what other editors
// show), hover and the deprecated-key rule all say what schema/deprecations.ts says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyHoverMarkdown } from '../../server/src/service/features/hover';
import { getLocale, setLocale } from '../../server/src/service/l10n';
import { deprecatedKeys, deprecationNote } from '../../server/src/service/schema/deprecations';
import { v0Schema } from '../../server/src/service/schema/schema';
import { analyzeText } from '../helpers';

function inLocale<T>(locale: Parameters<typeof setLocale>[0], run: () => T): T {
  const before = getLocale();
  setLocale(locale);
  try {
    return run();
  } finally {
    setLocale(before);
  }
}

test('the schema notes exactly the deprecated keys, in the same English words', () => {
  const noted = Object.entries(v0Schema.properties).filter(([, s]) => s.deprecationMessage);
  assert.deepEqual(noted.map(([k]) => k).sort(), [...deprecatedKeys()].sort());
  inLocale('en', () => {
    for (const [key, s] of noted) assert.equal(s.deprecationMessage, deprecationNote(key), key);
  });
});

test('hover and the deprecated-key diagnostic carry the same translated note', () => {
  inLocale('ko', () => {
    const note = deprecationNote('per_gpu_train_batch_size')!;
    assert.notEqual(note, inLocale('en', () => deprecationNote('per_gpu_train_batch_size')), 'translated');
    assert.ok(keyHoverMarkdown('per_gpu_train_batch_size')?.includes(note));
    const d = analyzeText('model_name_or_path: m\nstage: sft\ndo_train: true\nper_gpu_train_batch_size: 2\n').diagnostics.find((x) => x.code === 'deprecated-key');
    assert.ok(d && String(d.message).startsWith(note), d?.message as string);
  });
});
