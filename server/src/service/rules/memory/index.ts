// Out of memory before launch: when the estimate exceeds what the target GPU
// can use, warn at the key that drives the largest component and offer the
// smallest change sets that fit, each labelled with its new estimate.
import type { ConfigDocument } from '../../document';
import type { KeyOp, ScalarValue } from '../../fixes';
import { estimateReport, fitCandidates } from '../../memory/report';
import { memoryLabel } from '../../memory/labels';
import { t } from '../../l10n';
import { defineRule, WARNING } from '../rule';
import type { Rule } from '../rule';

const CODE = 'memory-exceeds-gpu';

/** Where new keys of a fix go: next to the batch settings when the config has them. */
const ANCHOR = 'per_device_train_batch_size';

/** Key operations giving the config these values (null removes a written key). */
function changeOps(doc: ConfigDocument, changes: Readonly<Record<string, ScalarValue>>): KeyOp[] {
  return Object.entries(changes).flatMap(([key, value]): KeyOp[] => {
    if (value !== null) return [{ set: key, value, after: ANCHOR }];
    return doc.byKey.has(key) ? [{ remove: key }] : [];
  });
}

export const memoryRule = defineRule({
  codes: [CODE],
  check(ctx) {
    if (!ctx.target) return []; // nothing to run out of: skip the estimate
    const r = estimateReport(ctx);
    if (!r || r.fits !== false || !r.gpu || r.usableGiB === null) return [];
    const largest = [...r.breakdown].sort((a, b) => b.GiB - a.GiB)[0];
    const name = ctx.target.gpu.name;
    return {
      code: CODE,
      severity: WARNING,
      at: ctx.doc.byKey.has(r.dominantKey) ? r.dominantKey : 'model_name_or_path',
      message: t('This run needs about {0} GiB per GPU but {1} leaves {2} GiB to PyTorch, so it will run out of memory. The largest part is {3} ({4} GiB). Use a "Fit to {1}" quick-fix, or see LLaMA Factory: Estimate Memory.',
        r.reservedGiB.toFixed(1), r.gpu.name, r.usableGiB.toFixed(1), memoryLabel(largest.name), largest.GiB.toFixed(1)),
      fixes: fitCandidates(ctx).map((c, i) => ({
        title: t('Fit to {0}: {1} (≈ {2} GiB)', name, c.label, c.estimate.reservedGiB.toFixed(1)),
        ops: changeOps(ctx.doc, c.changes),
        ...(i === 0 ? { preferred: true } : {}),
      })),
    };
  },
});

export const memoryRules: readonly Rule[] = [memoryRule];
