// The keys a transformers release deprecates or drops (facts/deprecations.json,
// generated with the schema) and the one sentence that says so. Hover and the
// deprecated-key rule show this sentence; the JSON Schema carries its English
// form for other editors (a test keeps the two equal).
import deprecations from '../facts/deprecations.json';
import { t } from '../l10n';

export type Deprecation =
  | { kind: 'v4-only'; warned: boolean; instead: string | null; rename: boolean }
  | { kind: 'v5-deprecated'; into?: string; env?: string };

const table = deprecations as Readonly<Record<string, Deprecation>>;

/** How `key` is deprecated, or undefined when it is not. */
export function deprecationOf(key: string): Deprecation | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The deprecation of `key` in one sentence, in the active language. */
export function deprecationNote(key: string): string | undefined {
  const dep = deprecationOf(key);
  if (!dep) return undefined;
  if (dep.kind === 'v4-only') return t('Only transformers 4.x knows `{0}`; with transformers 5 it is an unknown key.', key);
  if (dep.into) return t('Deprecated in transformers 5: its value is copied into `{0}`; write `{0}` instead.', dep.into);
  return t('Deprecated in transformers 5.');
}

/** Every deprecated key, for the rule that reports them. */
export function deprecatedKeys(): string[] {
  return Object.keys(table);
}
