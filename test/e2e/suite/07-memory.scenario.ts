// The memory estimate in the editor and the Estimate Memory view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, waitFor } from './util';

const COMMAND = 'llamafactory.estimateMemory';
const GIB = /\d+(\.\d+)?\s*GiB/;

suite('memory estimate', () => {
  test('a code lens or inlay hint shows the estimate in GiB', async () => {
    const { document } = await openFixture('sft-bf16.yaml');
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const texts = await waitFor('an estimate lens or hint', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? [];
      const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, whole)) ?? [];
      const all = [
        ...lenses.map((l) => l.command?.title ?? ''),
        ...hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''))),
      ];
      return all.some((t) => GIB.test(t)) ? all : undefined;
    });
    assert.ok(texts.some((t) => GIB.test(t)));
  });

  test('Estimate Memory opens a webview', async () => {
    await openFixture('sft-bf16.yaml');
    await vscode.commands.executeCommand(COMMAND);
    const tab = await waitFor('a webview tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview));
    assert.match(tab.label, /memory/i);
  });
});
