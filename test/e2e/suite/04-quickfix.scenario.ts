// Did-you-mean: applying the preferred quick-fix renames the key and keeps the line's comment.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticWithCode, openFixture, ours, waitFor } from './util';

suite('quick-fix', () => {
  teardown(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  test('lora_rnak becomes lora_rank', async () => {
    const { document } = await openFixture('typo-lora-rank.yaml');
    const before = document.getText();
    const d = await diagnosticWithCode(document.uri, 'unknown-key');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('lora_rank'));
    assert.ok(fix?.edit, `a rename action among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), before.replace('lora_rnak: 8  # keep this comment', 'lora_rank: 8  # keep this comment'));
    await waitFor('unknown-key to clear', () => (ours(document.uri).some((x) => codeOf(x) === 'unknown-key') ? undefined : true));
  });
});
