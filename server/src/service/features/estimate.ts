// The memory estimate as the Estimate Memory view and the CLI show it: the
// report, its one-line summary, the breakdown as Markdown and the same config
// on the common GPUs.
import { COMMON_COUNTS, COMMON_GPUS } from '../memory/common-gpus';
import { breakdownMarkdown, estimateReport, summaryLine, whatFits } from '../memory/report';
import type { EstimateReport, WhatFitsRow } from '../memory/report';
import type { AnalysisContext } from '../context';
import { histogram } from '../context/data/lengths';
import { dataView } from '../context/data/view';
import { isV0 } from '../values';

/** The token lengths of the scanned training data, binned, against cutoff_len (for the view's histogram). */
export interface TokenLengths {
  cutoff: number;
  /** Tokens per bin; bin i holds lengths in [i·width, (i+1)·width). */
  width: number;
  counts: number[];
  /** How many samples were measured (a sample of a large file), and with what. */
  samples: number;
  counter: 'tokenizer' | 'chars';
  p50: number;
  p95: number;
  max: number;
  truncatedShare: number;
}

export interface MemoryEstimateResult {
  report: EstimateReport;
  /** One line, as the code lens shows it. */
  summary: string;
  /** The breakdown as Markdown (for copying). */
  markdown: string;
  /** The same config on common GPUs and GPU counts. */
  whatFits: WhatFitsRow[];
  /** Present once the config's training data is scanned. */
  lengths?: TokenLengths;
}

/** Null when the document is not a training config the estimator can size. */
export function estimateDetails(ctx: AnalysisContext): MemoryEstimateResult | null {
  const report = estimateReport(ctx);
  if (!report) return null;
  const lengths = tokenLengths(ctx);
  return { report, summary: summaryLine(report), markdown: breakdownMarkdown(report), whatFits: whatFits(ctx, COMMON_GPUS, COMMON_COUNTS), ...(lengths ? { lengths } : {}) };
}

function tokenLengths(ctx: AnalysisContext): TokenLengths | undefined {
  const l = isV0(ctx.doc) ? dataView(ctx).lengths : undefined;
  if (!l) return undefined;
  const { width, counts } = histogram(l.sorted, l.cutoff);
  return { cutoff: l.cutoff, width, counts, samples: l.samples, counter: l.counter, p50: l.p50, p95: l.p95, max: l.max, truncatedShare: l.truncatedShare };
}
