// The precision a config trains in, and the minimal edits that switch it.
import type { ConfigDocument } from '../../document';
import type { KeyOp } from '../../fixes';
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

const remove = (key: string): KeyOp => ({ remove: key });

/**
 * Turns `from: <truthy>` into `to: true` in place: renames the key when `to`
 * is absent, else sets `to` and removes `from`. With no `to`, removes `from`.
 */
export function replaceFlag(doc: ConfigDocument, from: string, to: string | undefined): KeyOp[] {
  const entry = doc.byKey.get(from);
  if (!entry) return [];
  if (!to) return [remove(from)];
  if (doc.byKey.has(to)) return [{ set: to, value: true }, remove(from)];
  const ops: KeyOp[] = [{ rename: from, to }];
  if (entry.value !== true) ops.push({ set: from, value: true });
  return ops;
}

// Where a new flag goes when the config has none: next to the training hyper-parameters.
const ANCHORS = ['lr_scheduler_type', 'warmup_ratio', 'num_train_epochs', 'learning_rate'];

/** The fewest key operations that make the config train in `to`. */
export function switchPrecision(doc: ConfigDocument, to: Precision): KeyOp[] {
  const on = FLAGS.filter((k) => truthy(doc, k) && doc.byKey.has(k));
  if (to === 'fp32') return on.map(remove);
  const others = on.filter((k) => k !== to);
  if (on.includes(to)) return others.map(remove);
  if (doc.byKey.has(to)) return [{ set: to, value: true }, ...others.map(remove)];
  if (others.length) return [...replaceFlag(doc, others[0], to), ...others.slice(1).map(remove)];
  const anchor = [...FLAGS, ...ANCHORS].find((k) => doc.byKey.has(k));
  return [{ set: to, value: true, ...(anchor ? { after: anchor } : {}) }];
}
