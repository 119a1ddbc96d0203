// The "Estimate Memory" view: a webview beside the editor with a stacked bar
// of the components against the GPU's capacity, the breakdown table, a
// what-fits table across common GPUs, and "Copy as Markdown".
import * as vscode from 'vscode';
import type { EstimateMemoryResult } from '../../server/src/protocol';
import { memoryLabel, t } from '../../server/src/service/presentation';
import { HISTOGRAM_CSS, histogramHtml } from './histogram';
import { esc } from './html';

let panel: vscode.WebviewPanel | undefined;

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

function html(result: EstimateMemoryResult, nonce: string, cspSource: string): string {
  const r = result.report;
  const capacity = r.gpu ? r.gpu.memoryGiB : Math.max(r.deviceGiB, r.highGiB);
  const scale = Math.max(capacity, r.deviceGiB);
  // The CSP allows no inline style attributes, so each segment gets a class defined in the nonce'd <style>.
  const pct = (gib: number) => ((gib / scale) * 100).toFixed(2);
  const segmentCss = r.breakdown.map((b, i) => `.s${i}{width:${pct(b.GiB)}%;background:${COLORS[i % COLORS.length]}}.d${i}{background:${COLORS[i % COLORS.length]}}`).join('');
  const bar = r.breakdown.map((b, i) => `<div class="seg s${i}" title="${esc(memoryLabel(b.name))}: ${b.GiB.toFixed(1)} GiB"></div>`).join('');
  const legend = r.breakdown
    .map((b, i) => `<tr><td><span class="dot d${i}"></span>${esc(memoryLabel(b.name))}</td><td class="n">${b.GiB.toFixed(1)}</td></tr>`)
    .join('');
  const capCss = `.cap{left:${pct(capacity)}%}`;
  const capMark = r.gpu ? `<div class="cap" title="${esc(r.gpu.name)}: ${capacity} GiB"></div>` : '';
  const counts = result.whatFits[0]?.counts.map((c) => `<th>×${c.gpus}</th>`).join('') ?? '';
  const fits = result.whatFits
    .map((row) => `<tr><td>${esc(row.gpu.name)}</td><td class="n">${row.gpu.memoryGiB}</td>${row.counts
      .map((c) => `<td class="n ${c.fits ? 'ok' : 'no'}">${c.fits ? '✓' : '✗'} ${c.deviceGiB.toFixed(1)}</td>`)
      .join('')}</tr>`)
    .join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:0 16px}
.bar{position:relative;display:flex;height:28px;border:1px solid var(--vscode-panel-border);margin:12px 0 4px}
.seg{height:100%}.cap{position:absolute;top:-6px;bottom:-6px;width:2px;background:var(--vscode-errorForeground)}
table{border-collapse:collapse;margin:8px 0 16px}td,th{padding:2px 10px;border-bottom:1px solid var(--vscode-panel-border);text-align:left}
.n{text-align:right;font-variant-numeric:tabular-nums}.dot{display:inline-block;width:10px;height:10px;margin-right:6px}
.ok{color:var(--vscode-testing-iconPassed)}.no{color:var(--vscode-errorForeground)}
.summary{font-size:1.2em;margin-top:12px}.muted{opacity:.75}
${segmentCss}${capCss}${HISTOGRAM_CSS}
</style></head><body>
<div class="summary" id="summary">${esc(result.summary)}</div>
<div class="bar" id="bar">${bar}${capMark}</div>
<div id="launch">${esc(r.launchAssumed ?? '')}</div>
<div class="muted">${esc(t('Range {0}–{1} GiB · model {2} ({3} B, {4})', r.lowGiB.toFixed(1), r.highGiB.toFixed(1), r.model.id, r.model.paramsB, r.modelDetail))}</div>
<h3>${esc(r.gpus > 1 ? t('Breakdown (GiB per GPU)') : t('Breakdown (GiB)'))}</h3>
<table id="breakdown">${legend}
<tr><td><b>${esc(t('PyTorch allocated (peak)'))}</b></td><td class="n"><b>${r.allocatedGiB.toFixed(1)}</b></td></tr>
<tr><td>${esc(t('PyTorch reserved'))}</td><td class="n">${r.reservedGiB.toFixed(1)}</td></tr>
<tr><td>nvidia-smi</td><td class="n">${r.deviceGiB.toFixed(1)}</td></tr></table>
${result.lengths ? histogramHtml(result.lengths) : ''}
<h3>${esc(t('What fits (nvidia-smi GiB per GPU)'))}</h3>
<table id="whatfits"><tr><th>GPU</th><th>GiB</th>${counts}</tr>${fits}</table>
<ul class="muted">${r.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
<button id="copy">${esc(t('Copy as Markdown'))}</button>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('copy').addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
</script></body></html>`;
}

/** Shows (or refreshes) the view for `result`; `markdown` is what "Copy" puts on the clipboard. */
export function showEstimate(result: EstimateMemoryResult): vscode.WebviewPanel {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('llamafactory.estimate', t('Estimate Memory'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    panel.onDidDispose(() => (panel = undefined));
  }
  const nonce = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  panel.webview.html = html(result, nonce, panel.webview.cspSource);
  const markdown = `${result.summary}\n\n${result.markdown}`;
  panel.webview.onDidReceiveMessage(async (m: { type?: string }) => {
    if (m.type === 'copy') {
      await vscode.env.clipboard.writeText(markdown);
      void vscode.window.showInformationMessage(t('Memory estimate copied as Markdown.'));
    }
  });
  panel.reveal(vscode.ViewColumn.Beside, true);
  return panel;
}
