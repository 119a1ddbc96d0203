// Small helpers rules share for choosing where a finding goes and for wording messages.
import type { ConfigDocument } from '../document';
import { closest } from '../text/similar';
import type { AnalysisContext } from '../context';
import { bundled } from '../context/release/bundled';
import { compareVersions } from '../context/release/facts';
import type { ResolvedRelease } from '../context/release/resolve';
import type { ReleaseRange } from './rule';
import { truthy } from '../values';
import { didYouMeanText } from '../l10n';

/** The short `key: value` text of a written entry, for messages and links. */
export function shown(doc: ConfigDocument, key: string): string {
  const e = doc.byKey.get(key);
  if (!e) return `\`${key}\``;
  const text = doc.text.slice(doc.offsetAt(e.valueRange.start), doc.offsetAt(e.valueRange.end)).trim();
  return text && !text.includes('\n') && text.length <= 60 ? `\`${key}: ${text}\`` : `\`${key}\``;
}

/** `key: value` for messages, from a value rather than the text written. */
export function show(key: string, value: unknown): string {
  return `\`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The keys that are truthy as LLaMA-Factory sees them (a finding's `at`). */
export function truthyKeys(ctx: AnalysisContext, ...keys: string[]): string[] {
  return keys.filter((k) => truthy(ctx.doc, k));
}

/** The keys, the one written lower in the file first: a conflict is reported where it appears. */
export function laterFirst(ctx: AnalysisContext, ...keys: string[]): string[] {
  const line = (k: string) => ctx.doc.byKey.get(k)?.keyRange.start.line ?? -1;
  return [...keys].sort((a, b) => line(b) - line(a));
}

/** The first key of `keys` the YAML writes. */
export function firstWritten(ctx: AnalysisContext, keys: readonly string[]): string | undefined {
  return keys.find((k) => ctx.doc.byKey.has(k));
}

/** " Did you mean `x`?" or nothing. */
export function didYouMean(word: unknown, candidates: readonly string[]): string {
  return didYouMeanText(typeof word === 'string' ? closest(word, candidates) : undefined);
}

/**
 * Whether the user's release lies in `range`. A release is placed by its VERSION, so a source snapshot
 * (0.9.5.dev0) counts as older than the release it leads to; no release, or a source whose VERSION could
 * not be read ("unknown"), counts as main.
 */
export function inReleases(release: ResolvedRelease | undefined, range: ReleaseRange): boolean {
  const bound = (name: string): string => bundled.table.releases[bundled.indexOf(name)]?.version ?? name;
  const own = release?.facts.version;
  const version = own !== undefined && /^v?\d/.test(own) ? own : bound('main');
  return (!range.since || compareVersions(version, bound(range.since)) >= 0) && (!range.until || compareVersions(version, bound(range.until)) <= 0);
}
