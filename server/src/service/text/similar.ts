// String similarity for "did you mean" suggestions (unknown keys, templates,
// datasets). Optimal-string-alignment distance: Levenshtein plus adjacent
// transpositions, so `lorarank` → `lora_rank` and `bf61` → `bf16` both rank
// close. Rows are reused and a row whose minimum exceeds the bound stops the
// computation, so scanning a few hundred candidates stays well under a millisecond.

/** Edit distance with transpositions; returns `limit + 1` as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Compares case- and separator-insensitively: `Alpaca-En` and `alpaca_en` are the same word. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[-\s.]/g, '_');
}

/** Default bound: about a third of the word, at least 1 and at most 4 edits. */
function defaultMax(word: string): number {
  return Math.max(1, Math.min(4, Math.floor(word.length / 3)));
}

export interface Ranked {
  candidate: string;
  distance: number;
}

/** Candidates within `maxDistance` edits of `word`, closest first (ties keep the candidates' order). */
export function rankBySimilarity(word: string, candidates: readonly string[], maxDistance = defaultMax(word)): Ranked[] {
  const w = normalize(word);
  if (w === '') return [];
  const out: Ranked[] = [];
  for (const candidate of candidates) {
    // The length check first: it rules out most candidates without computing a distance.
    if (Math.abs(candidate.length - w.length) > maxDistance) continue;
    const d = editDistance(w, normalize(candidate), maxDistance);
    if (d <= maxDistance) out.push({ candidate, distance: d });
  }
  return out.sort((x, y) => x.distance - y.distance);
}

/** The single best suggestion for `word`, or undefined when nothing is close enough. */
export function closest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const best = rankBySimilarity(word, candidates, maxDistance)[0];
  return best && best.candidate !== word ? best.candidate : undefined;
}
