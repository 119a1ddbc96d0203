// The estimate inline: a code lens on the first line (click for the Estimate
// Memory view, or pick a GPU) and an inlay hint after the model name whose
// tooltip is the breakdown table.
import type { CodeLens, InlayHint } from 'vscode-languageserver-types';
import { breakdownMarkdown, estimateReport, summaryLine, whyNoEstimate } from '../memory/report';
import type { AnalysisContext } from '../context';
import { t } from '../l10n';

/** Commands the lenses run; the VS Code client registers both. */
export const ESTIMATE_COMMAND = 'llamafactory.estimateMemory';
export const SELECT_GPU_COMMAND = 'llamafactory.selectGpu';

export function codeLenses(ctx: AnalysisContext): CodeLens[] {
  const r = estimateReport(ctx);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (!r) {
    const why = whyNoEstimate(ctx);
    return why ? [{ range, command: { title: t('No memory estimate: {0}', why), command: '' } }] : [];
  }
  return [
    { range, command: { title: summaryLine(r), command: ESTIMATE_COMMAND, arguments: [ctx.doc.uri] } },
    { range, command: { title: r.gpu ? t('Change GPU…') : t('Select GPU…'), command: SELECT_GPU_COMMAND, arguments: [ctx.doc.uri] } },
  ];
}

export function inlayHints(ctx: AnalysisContext): InlayHint[] {
  const r = estimateReport(ctx);
  const entry = ctx.doc.byKey.get(ctx.doc.kind === 'llamafactory-v1' ? 'model' : 'model_name_or_path');
  if (!r || !entry) return [];
  return [
    {
      position: entry.valueRange.end,
      label: ` ${r.model.paramsB} B · ≈ ${r.deviceGiB.toFixed(1)} GiB${r.gpus > 1 ? '/GPU' : ''}`,
      tooltip: { kind: 'markdown', value: breakdownMarkdown(r) },
      paddingLeft: true,
    },
  ];
}
