// What a top-level key the schema does not know probably is: a key LLaMA-Factory
// computes itself, a Megatron-Core key behind USE_MCA, the other format's
// spelling of a setting, or a typo (did-you-mean).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../document';
import lists from '../facts/lists.json';
import type { Fix } from '../fixes';
import { closest } from '../text/similar';
import { makeDiagnostic } from '../types';
import { v0KeyInV1, v1KeyInV0 } from './cross-format';
import type { CrossFormatHint } from './cross-format';
import { foreignKey, foreignNote, translateForeign } from './foreign';
import type { ForeignKey } from './foreign';
import { v0InternalKeys } from './schema';
import type { ConfigSchema } from './schema';
import type { UnknownKeyHint } from './validate';
import { didYouMeanText, t } from '../l10n';

const internalKeys = new Set(v0InternalKeys);
const mcaKeys = new Set(lists.mcaKeys);

/**
 * Fix data for a misspelt key written at `range`: rename it to each candidate, the
 * first preferred. A rename that only corrects spelling is safe; one to another
 * release's name for the setting may change its meaning (`safe` false).
 */
export function renameFixes(key: string, range: Range, candidates: readonly string[], safe = true): { fixes: Fix[] } {
  return { fixes: candidates.map((c, i) => ({ title: t('Change to `{0}`', c), ops: [{ rename: key, to: c, at: range }], ...(safe ? { safe: true } : {}), ...(i === 0 ? { preferred: true } : {}) })) };
}

/** `suggest` is false once a file has had many unknown keys: then it is no config and the search only costs time. */
export function unknownKey(doc: ConfigDocument, entry: ConfigEntry, schema: ConfigSchema, suggest = true, explain?: (key: string) => UnknownKeyHint | undefined): Diagnostic {
  const key = entry.key;
  const foreign = schema.kind === 'llamafactory-v0' ? foreignKey(key) : undefined;
  // Another tool's name with a translation wins over the Megatron-Core reading of the same word (`optimizer`).
  if (foreign && translateForeign(doc, entry, foreign)) return foreignName(doc, entry, foreign);
  if (schema.kind === 'llamafactory-v0') {
    if (internalKeys.has(key)) {
      return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'internal-key',
        t('`{0}` is computed by LLaMA-Factory itself and cannot be set in a config; remove it.', key));
    }
    if (mcaKeys.has(key) && !v1KeyInV0(key)) {
      return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, 'requires-env',
        t('`{0}` is a Megatron-Core setting: it is accepted only when the job is launched with USE_MCA=1; without it LLaMA-Factory stops with an unknown-key error.', key));
    }
  }
  const cross = schema.kind === 'llamafactory-v0' ? v1KeyInV0(key) : v0KeyInV1(key);
  if (foreign && !cross) return foreignName(doc, entry, foreign);
  if (cross) {
    // micro_batch_size is also a Megatron-Core key: still the v1 spelling, unless the job runs with USE_MCA=1.
    const mca = schema.kind === 'llamafactory-v0' && mcaKeys.has(key) ? ` ${t('(Megatron-Core runs launched with USE_MCA=1 do accept it.)')}` : '';
    return crossFormat(doc, entry, { ...cross, message: cross.message + mca });
  }
  // A key another LLaMA-Factory release accepts: say which, and offer its name in this release.
  const drift = schema.kind === 'llamafactory-v0' ? explain?.(key) : undefined;
  if (drift) {
    const candidates = drift.candidates.filter((c) => !doc.byKey.has(c));
    return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'unknown-key', drift.message, renameFixes(key, entry.keyRange, candidates, false));
  }
  const suggestion = suggest ? closest(key, schema.keys) : undefined;
  return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'unknown-key',
    t('LLaMA-Factory does not know the key `{0}` and will stop before training.', key) + didYouMeanText(suggestion),
    renameFixes(key, entry.keyRange, suggestion ? [suggestion] : []));
}

function crossFormat(doc: ConfigDocument, entry: ConfigEntry, hint: CrossFormatHint): Diagnostic {
  // Renaming onto a key the file already has would only trade this error for a duplicate.
  const rename = hint.rename && !doc.byKey.has(hint.rename) ? [hint.rename] : [];
  return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, hint.code, hint.message, renameFixes(entry.key, entry.keyRange, rename));
}

/** Another tool's name for a LLaMA-Factory setting: the fix writes the LLaMA-Factory key with the value translated. */
function foreignName(doc: ConfigDocument, entry: ConfigEntry, fk: ForeignKey): Diagnostic {
  const translation = translateForeign(doc, entry, fk);
  let advice = '';
  const fixes: Fix[] = [];
  if (translation && translation.writes.length > 0) {
    advice = ` ${t('Write `{0}` instead.', translation.writes.join('`, `'))}`;
    fixes.push({ title: t('Change to `{0}`', translation.writes.join('`, `')), ops: translation.ops, preferred: true, safe: translation.safe });
  } else if (translation) {
    advice = doc.byKey.has(fk.to) ? ` ${t('`{0}` is already set; remove this line.', fk.to)}` : ` ${t('LLaMA-Factory needs nothing here (its default does this); remove this line.')}`;
    fixes.push({ title: t('Remove `{0}`', entry.key), ops: translation.ops, preferred: true, safe: translation.safe });
  }
  const note = fk.note ? ` ${foreignNote(fk.note)}` : '';
  return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'foreign-key',
    t('`{0}` is the {1} name for `{2}`; LLaMA-Factory does not know it and stops before training.', entry.key, fk.tool.name, fk.to) + advice + note,
    { fixes, tool: fk.tool.doc });
}
