// Korean particles agree with the word before them, read as a Korean speaker
// says it. Expected particles come from the standard rules (a final consonant
// takes 이/을/은/과/으로, none takes 가/를/는/와/로, ㄹ takes 로) applied to each
// word's usual Korean reading, written next to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, setLocale, t } from '../../server/src/service/l10n';
import ko from '../../l10n/bundle.l10n.ko.json';
import { agreeParticles, particleFor } from '../../server/src/service/text/particles';

// word, its reading, then 을/를, 이/가, 은/는, 와/과, (으)로
const CASES: [string, string, string, string, string, string, string][] = [
  ['사과', '사과', '를', '가', '는', '와', '로'],
  ['책', '책', '을', '이', '은', '과', '으로'],
  ['길', '길', '을', '이', '은', '과', '로'],
  ['GPU', '지피유', '를', '가', '는', '와', '로'],
  ['YAML', '야믈', '을', '이', '은', '과', '로'],
  ['JSON', '제이슨', '을', '이', '은', '과', '으로'],
  ['model', '모델', '을', '이', '은', '과', '로'],
  ['token', '토큰', '을', '이', '은', '과', '으로'],
  ['layer', '레이어', '를', '가', '는', '와', '로'],
  ['step', '스텝', '을', '이', '은', '과', '으로'],
  ['LoRA', '로라', '를', '가', '는', '와', '로'],
  ['DeepSpeed', '딥스피드', '를', '가', '는', '와', '로'],
  ['`bf16`', '비에프십육', '을', '이', '은', '과', '으로'],
  ['`fp32`', '에프피삼십이', '를', '가', '는', '와', '로'],
  ['H100', '에이치백', '을', '이', '은', '과', '으로'],
  ['"RTX 4090"', '알티엑스 사천구십', '을', '이', '은', '과', '으로'],
  ['RTX 3080', '알티엑스 삼천팔십', '을', '이', '은', '과', '으로'],
  ['`lora_rank`', '로라 랭크', '를', '가', '는', '와', '로'],
  ['`cutoff_len`', '컷오프 렌', '을', '이', '은', '과', '으로'],
  ['`fp16_full_eval`', '풀 이밸', '을', '이', '은', '과', '로'],
  ['`template`', '템플릿', '을', '이', '은', '과', '으로'],
  ['2047', '이천사십칠', '을', '이', '은', '과', '로'],
  ['0', '영', '을', '이', '은', '과', '으로'],
];

test('particles agree with Hangul words, English words, numbers and code identifiers', () => {
  for (const [word, reading, obj, subj, topic, and, dir] of CASES) {
    const got = [particleFor(word, '을/를'), particleFor(word, '이/가'), particleFor(word, '은/는'), particleFor(word, '와/과'), particleFor(word, '으로/로')];
    assert.deepEqual(got, [obj, subj, topic, and, dir], `${word} (${reading})`);
  }
});

test('either-forms in text are resolved from the word before them', () => {
  assert.equal(agreeParticles('`bf16`을(를) `fp16`(으)로 변경'), '`bf16`을 `fp16`으로 변경');
  assert.equal(agreeParticles('"potato"(이)라는 GPU와(과) 모델이(가)'), '"potato"라는 GPU와 모델이');
});

test('Korean messages never show an either-form, and a fixed particle after a placeholder is corrected', () => {
  setLocale('ko');
  try {
    assert.equal(t('Change `{0}` to `{1}`', 'lora_rnak', 'lora_rank'), '`lora_rnak`를 `lora_rank`로 변경');
    assert.equal(t('Change `{0}` to `{1}`', 'bf16', 'fp32'), '`bf16`을 `fp32`로 변경');
    // The catalog writes `{0}`와 `{1}`이: both follow the words now.
    assert.match(t('`{0}` and `{1}` are both on; transformers accepts only one half-precision mode. Prefer {2} on GPUs that support it (Ampere or newer), else {3}.', 'fp16', 'bf16', 'bf16', 'fp16'), /^`fp16`과 `bf16`이 모두 켜져/);
    assert.match(format('{0}은(는) {1}(으)로', '모델', 'GPU'), /^모델은 GPU로$/);
    const either = /을\(를\)|를\(을\)|이\(가\)|은\(는\)|와\(과\)|\(으\)로|\(이\)[라며면]/;
    const samples = ['`lora_rank`', 'H100', '모델', 'YAML', '4090'];
    for (const key of Object.keys(ko)) {
      for (const sample of samples) {
        const text = t(key, ...Array.from({ length: 6 }, () => sample));
        assert.ok(!either.test(text), `${key} → ${text}`);
      }
    }
  } finally {
    setLocale('en');
  }
});
