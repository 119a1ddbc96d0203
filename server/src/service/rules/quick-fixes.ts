// Builders for the fixes rules offer most often. Each returns plain data (see
// ../fixes.ts); `safe` is set only where the fix corrects spelling or notation.
import type { Fix, ScalarValue } from '../fixes';
import { closest } from '../text/similar';
import type { AnalysisContext } from '../context';
import { t } from '../l10n';

/** The same fix, marked as the one to apply first. */
export function preferred(fix: Fix | undefined): Fix | undefined {
  return fix && { ...fix, preferred: true };
}

/** Delete `key`. */
export function removeFix(key: string, title = t('Remove `{0}`', key)): Fix {
  return { title, ops: [{ remove: key }] };
}

/** Set `key` to `value`, adding it after `after` (when written) if it is missing. */
export function setFix(key: string, value: ScalarValue, after?: string, title = t('Set `{0}: {1}`', key, String(value))): Fix {
  return { title, ops: [{ set: key, value, ...(after !== undefined ? { after } : {}) }] };
}

/** Several fixes applied as one. */
export function bothFix(title: string, ...parts: Fix[]): Fix {
  return { title, ops: parts.flatMap((p) => p.ops) };
}

/** Replace the value of `key` with the closest of `candidates` (a did-you-mean), when one is close. */
export function closestFix(ctx: AnalysisContext, key: string, candidates: readonly string[]): Fix | undefined {
  const v = ctx.doc.byKey.get(key)?.value;
  const guess = typeof v === 'string' ? closest(v, candidates) : undefined;
  return guess === undefined ? undefined : { title: t('Change to `{0}`', guess), ops: [{ set: key, value: guess }], safe: true };
}
