// Completion: chat templates after `template:`, argument names on an empty line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { keyRange, openFixture } from './util';

async function labelsAt(uri: vscode.Uri, at: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

suite('completion', () => {
  test('the value of template offers the chat templates', async () => {
    const { document } = await openFixture('sft-bf16.yaml');
    const labels = await labelsAt(document.uri, keyRange(document, 'template').end.translate(0, 2));
    for (const t of ['qwen', 'llama3', 'mistral']) assert.ok(labels.includes(t), `${t} offered`);
    assert.ok(labels.length > 50, `${labels.length} templates`);
  });

  test('an empty line offers argument names not yet used', async () => {
    const { document } = await openFixture('sft-bf16.yaml');
    const blank = keyRange(document, 'model_name_or_path').start.line + 1;
    assert.equal(document.lineAt(blank).text, '');
    const labels = await labelsAt(document.uri, new vscode.Position(blank, 0));
    assert.ok(labels.includes('lora_alpha'));
    assert.ok(!labels.includes('lora_rank'), 'lora_rank is already set');
  });
});
