// The precision a config trains in, and the minimal edits that switch it.
import type { TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../../document';
import { insertKey, removeKey, renameKey, setValue } from '../../edits';
import type { Precision } from '../../hardware/catalog';
import { truthy } from '../../values';
import { t } from '../../l10n';

const FLAGS = ['bf16', 'pure_bf16', 'fp16'] as const;

/** bf16 wins over fp16 when both are set (LLaMA-Factory picks the compute dtype that way). */
export function configPrecision(doc: ConfigDocument): Precision {
  if (truthy(doc, 'bf16') || truthy(doc, 'pure_bf16')) return 'bf16';
  return truthy(doc, 'fp16') ? 'fp16' : 'fp32';
}

export function precisionWords(p: Precision): string {
  const words: Record<Precision, string> = {
    bf16: t('bf16 mixed precision (`bf16: true`)'),
    fp16: t('fp16 mixed precision (`fp16: true`)'),
    fp32: t('plain fp32 (no bf16/fp16 flag)'),
  };
  return words[p];
}

/**
 * Edits `from: <truthy>` into `to: true` in place: renames the key when `to`
 * is absent, else sets `to` and removes `from`. With no `to`, removes `from`.
 */
export function replaceFlag(doc: ConfigDocument, from: string, to: string | undefined): TextEdit[] {
  const entry = doc.byKey.get(from);
  if (!entry) return [];
  if (!to) return [removeKey(doc, from)!];
  if (doc.byKey.has(to)) return [setValue(doc, to, true)!, removeKey(doc, from)!];
  const edits = [renameKey(entry, to)];
  if (entry.value !== true) edits.push(setValue(doc, from, true)!);
  return edits;
}

// Where a new flag goes when the config has none: next to the training hyper-parameters.
const ANCHORS = ['lr_scheduler_type', 'warmup_ratio', 'num_train_epochs', 'learning_rate'];

/** The fewest edits that make the config train in `to`. */
export function switchPrecision(doc: ConfigDocument, to: Precision): TextEdit[] {
  const on = FLAGS.filter((k) => truthy(doc, k) && doc.byKey.has(k));
  if (to === 'fp32') return on.map((k) => removeKey(doc, k)!);
  const others = on.filter((k) => k !== to);
  if (on.includes(to)) return others.map((k) => removeKey(doc, k)!);
  if (doc.byKey.has(to)) return [setValue(doc, to, true)!, ...others.map((k) => removeKey(doc, k)!)];
  if (others.length) return [...replaceFlag(doc, others[0], to), ...others.slice(1).map((k) => removeKey(doc, k)!)];
  const anchor = [...FLAGS, ...ANCHORS].find((k) => doc.byKey.has(k));
  return [insertKey(doc, to, true, anchor)];
}
