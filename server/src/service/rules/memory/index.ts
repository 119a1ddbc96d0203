// Out of memory before launch: when the estimate exceeds what the target GPU
// can use, warn at the key that drives the largest component and offer the
// smallest change sets that fit, each labelled with its new estimate.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyChanges } from '../../edits';
import { estimateReport, fitCandidates } from '../../memory/report';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule } from '../types';
import { t } from '../../l10n';
import { memoryLabel } from '../../memory/labels';

const CODE = 'memory-exceeds-gpu';

/** Where new keys of a fix go: next to the batch settings when the config has them. */
const ANCHOR = 'per_device_train_batch_size';

export const memoryRule: Rule = {
  codes: [CODE],
  covers: [],
  check(ctx) {
    if (!ctx.target) return []; // nothing to run out of: skip the estimate
    const r = estimateReport(ctx);
    if (!r || r.fits !== false || !r.gpu || r.usableGiB === null) return [];
    const entry = ctx.doc.byKey.get(r.dominantKey) ?? ctx.doc.byKey.get('model_name_or_path');
    if (!entry) return [];
    const largest = [...r.breakdown].sort((a, b) => b.GiB - a.GiB)[0];
    return [
      makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, CODE,
        t('This run needs about {0} GiB per GPU but {1} leaves {2} GiB to PyTorch, so it will run out of memory. The largest part is {3} ({4} GiB). Use a "Fit to {1}" quick-fix, or see LLaMA Factory: Estimate Memory.',
          r.reservedGiB.toFixed(1), r.gpu.name, r.usableGiB.toFixed(1), memoryLabel(largest.name), largest.GiB.toFixed(1))),
    ];
  },
  fixes(ctx, diagnostic) {
    if (diagnostic.code !== CODE || !ctx.target) return [];
    const name = ctx.target.gpu.name;
    return fitCandidates(ctx).map((c, i): Fix => ({
      title: t('Fit to {0}: {1} (≈ {2} GiB)', name, c.label, c.estimate.reservedGiB.toFixed(1)),
      edits: applyChanges(ctx.doc, c.changes, ANCHOR),
      isPreferred: i === 0,
    }));
  },
};

export const memoryRules: readonly Rule[] = [memoryRule];
