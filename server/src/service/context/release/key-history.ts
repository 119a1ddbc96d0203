// What to say about a key the user's release does not accept but another
// release does: when it was removed or added, and its successor or
// predecessor. LLaMA-Factory keeps no aliases for renamed keys: the old name
// stops the launch with "Some keys are not used by the HfArgumentParser".
import { t } from '../../l10n';
import { bundled } from './bundled';
import { compareVersions } from './facts';
import type { ResolvedRelease } from './resolve';
import type { History } from './table';
import { describeRelease } from './resolve';

/**
 * Renames without an alias, old → new (the release that renamed it in the comment;
 * source: the hparams diffs between tags, and the issues that reported each one).
 */
const RENAMES: Readonly<Record<string, readonly string[]>> = {
  vllm_dtype: ['infer_dtype'], // 0.8.2
  image_resolution: ['image_max_pixels'], // 0.9.2; the value became a pixel count
  video_resolution: ['video_max_pixels'], // 0.9.2
  image_dir: ['media_dir'], // 0.9.2
  train_mm_proj_only: ['freeze_language_model'], // 0.9.2
  new_special_tokens: ['add_special_tokens', 'add_tokens'], // 0.9.3
  use_cache: ['use_kv_cache'], // 0.9.4
};

/** The same setting under the other release's name, in both directions. */
function renamedTo(key: string): string[] {
  return [...(RENAMES[key] ?? []), ...Object.keys(RENAMES).filter((old) => RENAMES[old].includes(key))];
}

export interface ReleaseHint {
  message: string;
  /** Keys the release accepts that stand for the same setting (quick-fix renames). */
  candidates: string[];
}

/** The version a table release stands for ("main" is its dev VERSION). */
function versionOf(name: string): string {
  const i = bundled.indexOf(name);
  return i < 0 ? name : bundled.table.releases[i].version;
}

/** Undefined when no bundled release accepts the key either (a typo, not drift). */
export function releaseHint(key: string, release: ResolvedRelease): ReleaseHint | undefined {
  const history = bundled.history(key);
  if (!history) return undefined;
  const candidates = renamedTo(key).filter((k) => release.facts.keys.has(k) || release.facts.transformersKeys.has(k));
  const listed = candidates.map((c) => `\`${c}\``).join(t(' or '));
  const uses = describeRelease(release);
  switch (drift(history, release)) {
    case 'removed':
      return { message: t('`{0}` was removed in LLaMA-Factory {1}; this workspace uses {2}.', key, String(history.removedIn), uses) + (listed ? ` ${t('It is now {0}.', listed)}` : ''), candidates };
    case 'added':
      return { message: t('`{0}` was added in LLaMA-Factory {1}; this workspace uses {2}.', key, String(history.since), uses) + ` ${listed ? t('This release calls it {0}.', listed) : t('Update LLaMA-Factory or remove the key.')}`, candidates };
    default:
      return { message: t('`{0}` is not in {1}; LLaMA-Factory {2} accept it.', key, uses, rangesText(history)) + (listed ? ` ${t('It is now {0}.', listed)}` : ''), candidates };
  }
}

/** For a chat template the release does not register but another release does. */
export function templateHint(name: string, release: ResolvedRelease): string | undefined {
  const history = bundled.history(name, 'templates');
  if (!history) return undefined;
  const uses = describeRelease(release);
  switch (drift(history, release)) {
    case 'removed':
      return t('Template `{0}` was removed in LLaMA-Factory {1}; this workspace uses {2}.', name, String(history.removedIn), uses);
    case 'added':
      return t('Template `{0}` was added in LLaMA-Factory {1}; this workspace uses {2}.', name, String(history.since), uses);
    default:
      return t('Template `{0}` is not in {1}; LLaMA-Factory {2} have it.', name, uses, rangesText(history));
  }
}

/** Whether the user's release is past the name's last release, before its first, or a snapshot in between. */
function drift(history: History, release: ResolvedRelease): 'removed' | 'added' | 'other' {
  const version = release.facts.version;
  if (history.removedIn && compareVersions(version, versionOf(history.removedIn)) >= 0) return 'removed';
  if (history.since && compareVersions(version, versionOf(history.since)) < 0) return 'added';
  return 'other';
}

function rangesText(history: History): string {
  return history.ranges.map(([a, b]) => (a === b ? bundled.names[a] : `${bundled.names[a]}–${bundled.names[b]}`)).join(', ');
}
