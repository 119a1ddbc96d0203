// Korean particles that agree with the word before them: 이/가, 을/를, 은/는,
// 와/과, (으)로, (이)라, (이)며, (이)면. Messages put code, numbers and English
// words before particles, so the word is first read the way a Korean speaker
// says it (bf16 → 육, H100 → 백, model → 모델, YAML → 엘, lora_rank → 랭크)
// and es-hangul picks the particle from that syllable.
import { hasBatchim, josa } from 'es-hangul';

const HANGUL = /[\uac00-\ud7a3]/;
/** Punctuation that may stand between a word and its particle: code quotes, quotes, brackets. */
const CLOSERS = /[`"'\u2018\u2019\u201c\u201d)\]>*\s]+$/;

/** Native Korean readings of the digits, for the last digit of a number. */
const DIGITS = ['영', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];
/** Powers of ten as read at the end of a round number: 10 십, 100 백, 1000 천, 10^4 만, 10^8 억, 10^12 조. */
function roundNumber(zeros: number): string {
  if (zeros === 1) return '십';
  if (zeros === 2) return '백';
  if (zeros === 3) return '천';
  return zeros < 8 ? '만' : zeros < 12 ? '억' : '조';
}

/** Letter names as Korean reads them; only L, M, N and R end in a final consonant (엘, 엠, 엔, 알). */
const LETTER_FINALS: Record<string, string> = { l: '엘', m: '엠', n: '엔', r: '알' };

/** English words whose Korean loanword ends in a final consonant that the spelling rules below miss. */
const WORD_FINALS: Record<string, string> = { template: '릿', dataset: '셋', target: '깃', set: '셋', subset: '셋', check: '크' };

/** The syllable an English word's Korean reading ends with (only its final consonant matters). */
function englishEnding(word: string): string {
  const w = word.toLowerCase();
  if (WORD_FINALS[w]) return WORD_FINALS[w];
  // Acronyms (GPU, YAML, RTX) and single letters are read letter by letter.
  if (w.length <= 2 || word === word.toUpperCase()) return LETTER_FINALS[w[w.length - 1]] ?? '이';
  if (/(?:l|le|ll)$/.test(w)) return '엘'; // model 모델, file 파일
  if (/(?:m|me|n|ne|ng)$/.test(w)) return '엔'; // stream 스트림, token 토큰, none 논, string 스트링
  if (/(?:[aeiou][pb]|ck)$/.test(w)) return '업'; // step 스텝, job 잡, stack 스택
  return '이'; // layer 레이어, loss 로스, seed 시드, true 트루
}

/** The syllable the last sound of `word` is read as (Hangul, numbers, English words and code identifiers). */
export function lastReading(word: string): string {
  const w = word.replace(CLOSERS, '');
  const last = w[w.length - 1] ?? '';
  if (HANGUL.test(last)) return last;
  const digits = /(\d+)$/.exec(w)?.[1];
  if (digits) {
    const zeros = /0*$/.exec(digits)![0].length;
    if (zeros === 0) return DIGITS[Number(last)];
    return zeros === digits.length ? '영' : roundNumber(zeros);
  }
  const latin = /([A-Za-z]+)$/.exec(w)?.[1];
  if (latin) {
    // camelCase and snake_case: the last part is the word that is said last.
    const part = /[A-Z]?[a-z]+$|[A-Z]+$/.exec(latin)?.[0] ?? latin;
    return englishEnding(part.length > 1 && part === part.toUpperCase() && latin !== part ? latin : part);
  }
  return '이';
}

type Pair = '이/가' | '을/를' | '은/는' | '와/과' | '으로/로' | '이라/라';

/** The particle of `pair` that agrees with the last sound of `word`. */
export function particleFor(word: string, pair: Pair | '이며/며' | '이면/면'): string {
  const reading = lastReading(word);
  if (pair === '이며/며' || pair === '이면/면') return hasBatchim(reading) ? pair.split('/')[0] : pair.split('/')[1];
  return josa.pick(reading, pair);
}

/** The "either" notations translators write, and the pair each stands for. */
const NOTATIONS: [RegExp, Parameters<typeof particleFor>[1]][] = [
  [/^(?:을\(를\)|를\(을\))/, '을/를'],
  [/^(?:이\(가\)|가\(이\))/, '이/가'],
  [/^(?:은\(는\)|는\(은\))/, '은/는'],
  [/^(?:와\(과\)|과\(와\))/, '와/과'],
  [/^\(으\)로/, '으로/로'],
  [/^\(이\)라/, '이라/라'],
  [/^\(이\)며/, '이며/며'],
  [/^\(이\)면/, '이면/면'],
];
const ANY_NOTATION = /을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)[라며면]/g;

/** Replaces every either-form ("을(를)", "(으)로", ...) with the particle that agrees with the word before it. */
export function agreeParticles(text: string): string {
  return text.replace(ANY_NOTATION, (found, at: number) => {
    const pair = NOTATIONS.find(([re]) => re.test(found))![1];
    return particleFor(text.slice(Math.max(0, at - 40), at), pair);
  });
}

/**
 * A catalog template with every particle that follows a placeholder turned into its either-form,
 * so that `agreeParticles` fixes it once the placeholder is filled (`{0}을` → `{0}을(를)`).
 */
export function markParticlesAfterPlaceholders(template: string): string {
  return template.replace(
    /(\{\d+\}[`"'\u2019\u201d)\]]*)(으로|로|이라|라|이며|이면|을|를|이|가|은|는|와|과)(?![가-힣]|\()/g,
    (_, head: string, p: string) => head + EITHER[p],
  );
}

const EITHER: Record<string, string> = {
  을: '을(를)', 를: '을(를)', 이: '이(가)', 가: '이(가)', 은: '은(는)', 는: '은(는)', 와: '와(과)', 과: '와(과)',
  으로: '(으)로', 로: '(으)로', 이라: '(이)라', 라: '(이)라', 이며: '(이)며', 이면: '(이)면',
};
