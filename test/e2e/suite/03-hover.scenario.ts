// Hover on a key: VS Code's own hover provider call returns our description.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, keyRange, openFixture } from './util';

suite('hover', () => {
  test('hover on lora_rank explains the key', async () => {
    const { document } = await openFixture('sft-bf16.yaml');
    const at = keyRange(document, 'lora_rank').start.translate(0, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = hoverText(hovers);
    assert.match(text, /lora_rank/);
    assert.match(text, /LoRA/i);
  });
});
