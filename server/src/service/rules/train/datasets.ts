// Dataset names in `dataset` / `eval_dataset`, checked against the
// dataset_info.json LLaMA-Factory will read (`<dataset_dir>/dataset_info.json`,
// found the way files.ts resolves launch-relative paths, else in the
// LLaMA-Factory checkout in use), or against the
// built-in list when the workspace has none; and whether each dataset suits the stage.
import type { ConfigEntry } from '../../document';
import { findDatasetInfo, readJson, resolveReference, viaText } from '../../files';
import { memoize } from '../../memo';
import { closest } from '../../text/similar';
import type { AnalysisContext } from '../../context';
import { argValue, names } from '../../values';
import lists from '../../facts/lists.json';
import { didYouMeanText, t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import type { Finding } from '../rule';
import type { Fix } from '../../fixes';

interface Registry {
  /** Dataset name → whether it holds preference (ranking) pairs. */
  ranking: Map<string, boolean>;
  /** Names of pre-training corpora: entries whose columns map only the text (`prompt`). */
  corpora: Set<string>;
  /** The registered name closest to an unknown one, if any is close. */
  suggest(name: string): string | undefined;
  /** The dataset_info.json read, or undefined for the built-in list. */
  file: string | undefined;
  /**
   * True when the file is the one a launch from this checkout reads (found next to the
   * config or above it); a file found only in another workspace root, or the built-in
   * list, is a best guess.
   */
  authoritative: boolean;
  /** How the file was found, for messages. */
  where: string;
}

type Lookup = { kind: 'skip' } | { kind: 'problem'; finding: Finding } | { kind: 'ok'; registry: Registry };

/** The built-in list, for a config whose dataset_info.json is nowhere to be found. */
const builtinRanking = new Map(lists.datasets.map((d) => [d.name, d.ranking]));
const builtinCorpora = new Set(lists.datasets.filter((d) => d.corpus).map((d) => d.name));
const builtinNames = [...builtinRanking.keys()];
// The list never changes, so each unknown name is compared with it once, not on every keystroke.
const closestBuiltin = memoize((name: string) => closest(name, builtinNames));
const builtin = (): Registry => ({
  ranking: builtinRanking,
  corpora: builtinCorpora,
  suggest: closestBuiltin,
  file: undefined,
  authoritative: false,
  where: t("the dataset list of LLaMA-Factory's own data/dataset_info.json (no dataset_info.json was found for this config)"),
});
const SPECIAL_DIRS = ['ONLINE'];
const DATA_STAGE: Record<string, string> = lists.enums.stage_to_data_stage;
const RANKING_STAGES: readonly string[] = lists.enums.stages_requiring_ranking_datasets;
const KEYS = ['dataset', 'eval_dataset'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lookup(ctx: AnalysisContext): Lookup {
  const dir = argValue(ctx.doc, 'dataset_dir');
  if (typeof dir !== 'string' || SPECIAL_DIRS.includes(dir) || dir.startsWith('REMOTE:')) return { kind: 'skip' };
  const dirEntry = ctx.doc.byKey.get('dataset_dir');
  const anchor = dirEntry ?? KEYS.map((k) => ctx.doc.byKey.get(k)).find((e): e is ConfigEntry => e !== undefined)!;
  const found = findDatasetInfo(dir, ctx.configPath, ctx.host, ctx.release?.checkout);
  if (!found) {
    const folder = dirEntry ? resolveReference(dir, ctx.configPath, ctx.host, (p) => ctx.host.isDirectory(p)) : undefined;
    if (!folder) return { kind: 'ok', registry: builtin() };
    return { kind: 'problem', finding: { code: 'dataset-info-missing', severity: ERROR, at: dirEntry!.valueRange,
      message: t('The dataset folder `{0}` has no dataset_info.json, so LLaMA-Factory cannot look up any dataset name.', folder.path) } };
  }
  const info = readJson(ctx.host, found.path);
  if (!isObject(info)) {
    return { kind: 'problem', finding: { code: 'dataset-info-invalid', severity: ERROR, at: dirEntry ? dirEntry.valueRange : anchor.keyRange,
      message: t('`{0}` is not a valid JSON object, so LLaMA-Factory cannot read the dataset definitions.', found.path) } };
  }
  const ranking = new Map<string, boolean>();
  const corpora = new Set<string>();
  for (const [name, attrs] of Object.entries(info)) {
    ranking.set(name, isObject(attrs) && attrs.ranking === true);
    if (isObject(attrs) && isCorpus(attrs.columns)) corpora.add(name);
  }
  const where = found.via === 'absolute' ? `\`${found.path}\`` : t('`{0}` (resolved from the {1} {2})', found.path, viaText(found.via), found.base);
  const registered = [...ranking.keys()];
  return { kind: 'ok', registry: { ranking, corpora, suggest: (name) => closest(name, registered), file: found.path, authoritative: found.via !== 'search root', where } };
}

/** The value with one comma-separated name replaced, spacing kept. */
function replaceName(value: string, name: string, replacement: string): string {
  return value.split(',').map((part) => (part.trim() === name ? part.replace(name, replacement) : part)).join(',');
}

/**
 * An unknown name close to a registered one is almost surely a typo: an error when
 * the file is the one the launch reads. A name like nothing registered is more
 * likely a dataset still to be added (upstream examples do this): a warning.
 */
function unknownName(entry: ConfigEntry, name: string, reg: Registry): Finding {
  const suggestion = reg.suggest(name);
  const severity = reg.authoritative && suggestion ? ERROR : WARNING;
  const advice = suggestion
    ? didYouMeanText(suggestion)
    : reg.file
      ? ` ${t('LLaMA-Factory stops at launch unless it is registered there.')}`
      : ` ${t('Open the LLaMA-Factory checkout (the folder with data/) as the workspace to check against your own list.')}`;
  return {
    code: 'dataset-unknown',
    severity,
    at: entry.valueRange,
    message: t('Dataset `{0}` is not defined in {1}.{2}', name, reg.where, advice),
    data: { name, suggestion, key: entry.key },
    // A close name in the file the launch reads is a misspelling; against the built-in list it is only a guess.
    fixes: suggestion && typeof entry.value === 'string'
      ? [{ title: t('Change `{0}` to `{1}`', name, suggestion), ops: [{ set: entry.key, value: replaceName(entry.value, name, suggestion) }], preferred: true, safe: severity === ERROR }]
      : [],
  };
}

/** Columns that map only the text: a corpus for stage pt, with no response to learn. */
function isCorpus(columns: unknown): boolean {
  return isObject(columns) && Object.keys(columns).length === 1 && typeof columns.prompt === 'string';
}

/** Train at the stage the dataset was made for: it changes what the run does, so the fix is not safe. */
function stageFix(stage: string): Fix {
  return { title: t('Change to `{0}`', `stage: ${stage}`), ops: [{ set: 'stage', value: stage }], preferred: true, safe: false };
}

function stageMismatch(ctx: AnalysisContext, entry: ConfigEntry, name: string, reg: Registry): Finding | undefined {
  const stage = argValue(ctx.doc, 'stage');
  const dataStage = typeof stage === 'string' ? DATA_STAGE[stage] : undefined;
  if (dataStage === undefined) return undefined;
  if (stage === 'sft' && reg.corpora.has(name)) return corpusUnderSft(entry, name);
  const ranking = reg.ranking.get(name) === true;
  const needsRanking = RANKING_STAGES.includes(dataStage);
  if (needsRanking === ranking) return undefined;
  const message = needsRanking
    ? t('Stage `{0}` trains on preference pairs, but `{1}` is not a ranking dataset (`"ranking": true` in dataset_info.json).', String(stage), name)
    : t('`{0}` is a ranking (preference) dataset, which only stages rm and dpo can use; stage `{1}` needs a different dataset.', name, String(stage));
  return {
    code: 'dataset-stage-mismatch', severity: ERROR, at: entry.valueRange, message, related: [{ key: 'stage', message: t('The stage is set here.') }],
    data: { name, key: entry.key }, fixes: [stageFix(ranking ? 'dpo' : 'sft')],
  };
}

/** LLaMA-Factory drops every example without a response, then stops with "Cannot find valid samples". */
function corpusUnderSft(entry: ConfigEntry, name: string): Finding {
  return {
    code: 'dataset-corpus-under-sft',
    severity: ERROR,
    at: entry.valueRange,
    message: t('`{0}` is a pre-training corpus (its columns map only the text), but stage sft needs a response for every example: LLaMA-Factory drops them all and stops with "Cannot find valid samples". Use `stage: pt` or an instruction dataset.', name),
    related: [{ key: 'stage', message: t('The stage is set here.') }],
    data: { name, key: entry.key },
    fixes: [stageFix('pt')],
  };
}

function findings(ctx: AnalysisContext): Finding[] {
  const entries = KEYS.map((k) => ctx.doc.byKey.get(k)).filter((e): e is ConfigEntry => e !== undefined && names(e.value).length > 0);
  if (entries.length === 0) return [];
  const l = lookup(ctx);
  if (l.kind === 'skip') return [];
  if (l.kind === 'problem') return [l.finding];
  const out: Finding[] = [];
  for (const entry of entries) {
    for (const name of names(entry.value)) {
      const d = l.registry.ranking.has(name) ? stageMismatch(ctx, entry, name, l.registry) : unknownName(entry, name, l.registry);
      if (d) out.push(d);
    }
  }
  return out;
}

export const datasetRule = defineRule({
  codes: ['dataset-unknown', 'dataset-stage-mismatch', 'dataset-info-missing', 'dataset-info-invalid', 'dataset-corpus-under-sft'],
  covers: ['R221', 'R222', 'R223'],
  appliesTo: { commands: ['train'] },
  check: findings,
});
