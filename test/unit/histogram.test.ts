// The Estimate Memory view's token-length histogram: bars, the cutoff_len
// mark, the bins past it, and the text alternatives, from a hand-made set of
// bins whose geometry is worked out below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTOGRAM_CSS, histogramHtml, histogramSummary } from '../../client/src/histogram';
import type { TokenLengths } from '../../client/src/histogram';

// Five bins of 25 tokens (0–124), cutoff_len 100: the last bin lies past it.
const h: TokenLengths = { cutoff: 100, width: 25, counts: [1, 3, 0, 2, 4], samples: 10, counter: 'chars', p50: 70, p95: 120, max: 124, truncatedShare: 0.4 };

test('one bar per bin, scaled to the fullest; bins past cutoff_len are marked; the cutoff line sits at 100/125 of the width', () => {
  const html = histogramHtml(h);
  const rects = [...html.matchAll(/<rect class="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)];
  assert.equal(rects.length, 5);
  assert.deepEqual(rects.map((r) => r[1]), ['hb', 'hb', 'hb', 'hb', 'hb over']);
  // The chart is 480 wide and its plot 140 − 18 = 122 high: bins are 96 wide, the fullest (4) is 122 high, 1 is 30.5.
  assert.deepEqual(rects.map((r) => Number(r[2])), [0, 96, 192, 288, 384]);
  assert.equal(Number(rects[4][5]), 122);
  assert.equal(Number(rects[0][5]), 30.5);
  assert.match(html, /<line class="hcut" x1="384\.0" y1="0" x2="384\.0"/);
  assert.match(html, />cutoff_len 100</);
});

test('a text alternative names the chart, and the bins are also a table', () => {
  const html = histogramHtml(h);
  const summary = histogramSummary(h);
  assert.equal(summary, 'Token lengths of 10 sampled records (approximated from characters): p50 70, p95 120, max 124; cutoff_len 100 truncates 40.0% of them.');
  assert.match(html, /role="img" aria-labelledby="hist-summary"/);
  assert.ok(html.includes(`<p id="hist-summary">${summary}</p>`));
  const rows = [...html.matchAll(/<tr><td class="n">(\d+)–(\d+)<\/td><td class="n">(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)];
  assert.deepEqual(rows.map((r) => [Number(r[1]), Number(r[2]), Number(r[3]), r[4]]), [[0, 24, 1, ''], [25, 49, 3, ''], [50, 74, 0, ''], [75, 99, 2, ''], [100, 124, 4, 'past cutoff_len']]);
});

test('the markup loads nothing and needs no inline style; colours come from theme variables', () => {
  const html = histogramHtml(h);
  assert.doesNotMatch(html, /style=|src=|href=|url\(|https?:/);
  assert.doesNotMatch(HISTOGRAM_CSS, /#[0-9a-f]{3,6}\b|url\(/i);
  for (const cls of ['hb', 'hb.over', 'hcut']) assert.match(HISTOGRAM_CSS, new RegExp(`\\.${cls.replace('.', '\\.')}\\{[^}]*var\\(--vscode-charts-`));
  assert.equal(histogramHtml({ ...h, counts: [] }), '');
});
