// The memory estimate as the Estimate Memory view and the CLI show it: the
// report, its one-line summary, the breakdown as Markdown and the same config
// on the common GPUs.
import { COMMON_COUNTS, COMMON_GPUS } from '../memory/common-gpus';
import { breakdownMarkdown, estimateReport, summaryLine, whatFits } from '../memory/report';
import type { EstimateReport, WhatFitsRow } from '../memory/report';
import type { AnalysisContext } from '../context';

export interface MemoryEstimateResult {
  report: EstimateReport;
  /** One line, as the code lens shows it. */
  summary: string;
  /** The breakdown as Markdown (for copying). */
  markdown: string;
  /** The same config on common GPUs and GPU counts. */
  whatFits: WhatFitsRow[];
}

/** Null when the document is not a training config the estimator can size. */
export function estimateDetails(ctx: AnalysisContext): MemoryEstimateResult | null {
  const report = estimateReport(ctx);
  if (!report) return null;
  return { report, summary: summaryLine(report), markdown: breakdownMarkdown(report), whatFits: whatFits(ctx, COMMON_GPUS, COMMON_COUNTS) };
}
