// Out of memory before launch: when the estimate exceeds what the target GPU
// can use, warn at the key that drives the largest component and offer the
// smallest change sets that fit, each labelled with its new estimate.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyChanges } from '../../edits';
import { estimateReport, fitCandidates } from '../../memory/report';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule } from '../types';

const CODE = 'memory-exceeds-gpu';

/** Where new keys of a fix go: next to the batch settings when the config has them. */
const ANCHOR = 'per_device_train_batch_size';

export const memoryRule: Rule = {
  codes: [CODE],
  covers: [],
  check(ctx) {
    const r = estimateReport(ctx);
    if (!r || r.fits !== false || !r.gpu || r.usableGiB === null) return [];
    const entry = ctx.doc.byKey.get(r.dominantKey) ?? ctx.doc.byKey.get('model_name_or_path');
    if (!entry) return [];
    const largest = [...r.breakdown].sort((a, b) => b.GiB - a.GiB)[0];
    return [
      makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, CODE,
        `This run needs about ${r.reservedGiB.toFixed(1)} GiB per GPU but ${r.gpu.name} leaves ${r.usableGiB.toFixed(1)} GiB to PyTorch, so it will run out of memory. ` +
        `The largest part is ${largest.name} (${largest.GiB.toFixed(1)} GiB). Use a "Fit to ${r.gpu.name}" quick-fix, or see LLaMA Factory: Estimate Memory.`),
    ];
  },
  fixes(ctx, diagnostic) {
    if (diagnostic.code !== CODE || !ctx.target) return [];
    const name = ctx.target.gpu.name;
    return fitCandidates(ctx).map((c, i): Fix => ({
      title: `Fit to ${name}: ${c.label} (≈ ${c.estimate.reservedGiB.toFixed(1)} GiB)`,
      edits: applyChanges(ctx.doc, c.changes, ANCHOR),
      isPreferred: i === 0,
    }));
  },
};

export const memoryRules: readonly Rule[] = [memoryRule];
