// The token-length histogram of the Estimate Memory view: an inline SVG (no
// external resource, no style attribute, so the view's CSP holds) coloured by
// the theme's chart colours through classes, with cutoff_len marked, a text
// summary as its accessible name, and the same bins as a table.
import type { EstimateMemoryResult } from '../../server/src/protocol';
import { t } from '../../server/src/service/presentation';
import { esc } from './html';

export type TokenLengths = NonNullable<EstimateMemoryResult['lengths']>;

const W = 480;
const H = 140;
const AXIS = 18;

/** Theme-following rules for the classes below; goes in the view's nonce'd <style>. */
export const HISTOGRAM_CSS = '.hist{max-width:480px;display:block;margin:8px 0}'
  + '.hb{fill:var(--vscode-charts-blue)}.hb.over{fill:var(--vscode-charts-orange)}'
  + '.hcut{stroke:var(--vscode-charts-red);stroke-width:2}.hax{stroke:var(--vscode-panel-border)}'
  + '.hist text{fill:var(--vscode-foreground);font-size:10px}';

/** One sentence saying what the chart shows (its accessible name and the text beside it). */
export function histogramSummary(h: TokenLengths): string {
  const how = h.counter === 'tokenizer' ? t('counted with the model\'s tokenizer') : t('approximated from characters');
  return t('Token lengths of {0} sampled records ({1}): p50 {2}, p95 {3}, max {4}; cutoff_len {5} truncates {6}% of them.',
    h.samples, how, h.p50, h.p95, h.max, h.cutoff, (h.truncatedShare * 100).toFixed(1));
}

/** The histogram as HTML (SVG chart, summary, and a table of the bins); bins at or past cutoff_len are marked. */
export function histogramHtml(h: TokenLengths): string {
  const n = h.counts.length;
  if (n === 0) return '';
  const peak = Math.max(1, ...h.counts);
  const barW = W / n;
  const plotH = H - AXIS;
  const over = (i: number) => (i + 1) * h.width > h.cutoff;
  const bars = h.counts.map((c, i) => {
    const height = (c / peak) * plotH;
    return `<rect class="hb${over(i) ? ' over' : ''}" x="${(i * barW).toFixed(1)}" y="${(plotH - height).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${height.toFixed(1)}"></rect>`;
  }).join('');
  const cutX = Math.min(W - 1, (h.cutoff / (n * h.width)) * W).toFixed(1);
  const summary = histogramSummary(h);
  const past = esc(t('past cutoff_len'));
  const rows = h.counts.map((c, i) => `<tr><td class="n">${i * h.width}–${(i + 1) * h.width - 1}</td><td class="n">${c}</td><td>${over(i) ? past : ''}</td></tr>`).join('');
  return `<h3>${esc(t('Token lengths'))}</h3>
<svg class="hist" id="histogram" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="hist-summary">
<title>${esc(summary)}</title>${bars}
<line class="hax" x1="0" y1="${plotH}" x2="${W}" y2="${plotH}"></line>
<line class="hcut" x1="${cutX}" y1="0" x2="${cutX}" y2="${plotH}"></line>
<text x="0" y="${H - 4}">0</text><text x="${W}" y="${H - 4}" text-anchor="end">${n * h.width}</text>
<text x="${cutX}" y="10" text-anchor="${Number(cutX) > W / 2 ? 'end' : 'start'}">cutoff_len ${h.cutoff}</text>
</svg>
<p id="hist-summary">${esc(summary)}</p>
<details><summary>${esc(t('Histogram as a table'))}</summary>
<table id="histogram-table"><tr><th>${esc(t('Tokens'))}</th><th>${esc(t('Samples'))}</th><th></th></tr>${rows}</table></details>`;
}
