// "Did you mean" support: edit distance with transpositions (optimal string
// alignment), so `per_device_train_bacth_size` finds its key.

/** Edit distance counting insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** Candidates sorted by closeness to `word`, keeping those within `maxDistance`. */
export function rankBySimilarity(word: string, candidates: readonly string[], maxDistance = defaultLimit(word)): string[] {
  const w = word.toLowerCase();
  return candidates
    // The length check first: it rules out most candidates without computing a distance.
    .filter((c) => Math.abs(c.length - w.length) <= maxDistance)
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase(), maxDistance) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map((x) => x.c);
}

/** The single closest candidate, or undefined when none is close enough. */
export function closest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  return rankBySimilarity(word, candidates, maxDistance)[0];
}

/** About one edit per four characters, at least one and at most four. */
function defaultLimit(word: string): number {
  return Math.max(1, Math.min(4, Math.floor(word.length / 4)));
}
