// Remembering the results of pure functions of a name or a number. The cache
// is bounded: the keys come from what the user types, one per keystroke.

/** `fn` with its results kept for up to `limit` distinct keys (all forgotten when full). */
export function memoize<K extends string | number, V>(fn: (key: K) => V, limit = 256): (key: K) => V {
  const results = new Map<K, V>();
  return (key) => {
    if (results.has(key)) return results.get(key) as V;
    const value = fn(key);
    if (results.size >= limit) results.clear();
    results.set(key, value);
    return value;
  };
}
