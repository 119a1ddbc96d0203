// Token lengths of samples: the model's own tokenizer.json when it is on disk
// (through @huggingface/tokenizers, Apache-2.0, pure JavaScript, ~37 KB
// minified, no dependencies), else an approximation from characters. Either
// way the chat template's wrappers are added roughly, per turn.
import * as path from 'node:path';
import { readJson } from '../../files';
import type { ServiceHost } from '../../types';
import type { SampleText } from './inspect';

export interface TokenCounter {
  kind: 'tokenizer' | 'chars';
  /** The tokenizer.json used, for messages; empty for the approximation. */
  source: string;
  count(text: string): number;
}

/**
 * Tokens a chat template adds per turn: a role header and an end marker, e.g.
 * ChatML's `<|im_start|>user\n` … `<|im_end|>\n` (5 tokens with Qwen's
 * tokenizer) or Llama 3's `<|start_header_id|>user<|end_header_id|>\n\n` … `<|eot_id|>` (5).
 */
export const TEMPLATE_TOKENS_PER_TURN = 5;
/** A BOS token or the template's opening. */
export const TEMPLATE_TOKENS_PER_SAMPLE = 1;

/**
 * Characters per token for the approximation: about 4 for English text with
 * today's 100k-150k vocabularies (OpenAI's and Hugging Face's rule of thumb),
 * and about one token per CJK or other non-ASCII character.
 */
const ASCII_CHARS_PER_TOKEN = 4;

export const charCounter: TokenCounter = {
  kind: 'chars',
  source: '',
  count(text) {
    let ascii = 0;
    let other = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) ascii++;
      else if (c < 0xdc00 || c > 0xdfff) other++;
    }
    return Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
  },
};

/** A counter over a tokenizer.json; undefined when the file is missing, too large for the host or not a tokenizer the library reads. */
export async function loadTokenizer(host: ServiceHost, file: string): Promise<TokenCounter | undefined> {
  const json = readJson(host, file);
  if (json === null || typeof json !== 'object') return undefined;
  const config = readJson(host, path.join(path.dirname(file), 'tokenizer_config.json'));
  try {
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(json, config !== null && typeof config === 'object' ? config : {});
    return { kind: 'tokenizer', source: file, count: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length };
  } catch {
    return undefined;
  }
}

/** The tokens of one sample: its longest alternative, with the template's wrappers. */
export function sampleTokens(sample: SampleText, counter: TokenCounter): number {
  let longest = 0;
  for (const turns of sample) {
    let n = TEMPLATE_TOKENS_PER_SAMPLE;
    for (const turn of turns) n += counter.count(turn) + TEMPLATE_TOKENS_PER_TURN;
    longest = Math.max(longest, n);
  }
  return longest;
}

export interface LengthStats {
  /** Samples measured. */
  samples: number;
  p50: number;
  p95: number;
  max: number;
  /** Share of measured samples longer than cutoff_len. */
  truncatedShare: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function lengthStats(sorted: readonly number[], max: number, cutoff: number): LengthStats {
  const over = sorted.length - upperBound(sorted, cutoff);
  return { samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: Math.max(max, sorted[sorted.length - 1] ?? 0), truncatedShare: sorted.length ? over / sorted.length : 0 };
}

/** Index of the first value greater than x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts of lengths in `bins` equal-width bins from 0 to the largest value (or the cutoff, whichever is larger). */
export function histogram(sorted: readonly number[], cutoff: number, bins = 24): { width: number; counts: number[] } {
  const top = Math.max(cutoff, sorted[sorted.length - 1] ?? 0, 1);
  const width = Math.max(1, Math.ceil(top / bins));
  const counts = new Array<number>(Math.ceil(top / width)).fill(0);
  for (const v of sorted) counts[Math.min(counts.length - 1, Math.floor(v / width))]++;
  return { width, counts };
}
