// The extension wakes up with the first YAML file, stays silent on YAML that
// is not a LLaMA-Factory config, and checks a file once it is marked as one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticWithCode, EXTENSION_ID, openFixture, ours, waitFor } from './util';

suite('activation', () => {
  test('inactive until a YAML file opens, then silent on other YAML', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded from extensionDevelopmentPath`);
    assert.equal(ext.isActive, false, 'no YAML file is open yet');

    const other = await openFixture('not-a-config.yaml');
    await waitFor('activation', () => ext.isActive || undefined);
    // A config opened after it gets its diagnostics, so the server has seen both files by then.
    const config = await openFixture('conflict-fp16-bf16.yaml');
    await diagnosticWithCode(config.document.uri, 'conflict-fp16-bf16');
    assert.deepEqual(ours(other.document.uri), [], 'no diagnostics on a CI workflow file');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the same file is checked once its first line says it is a config', async () => {
    const editor = await openFixture('not-a-config.yaml');
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# llamafactory: v0\n')));
    // `name`, `on` and `jobs` are not LLaMA-Factory arguments.
    const d = await waitFor('unknown-key diagnostics', () => {
      const found = ours(editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.ok(d.some((x) => x.message.includes('`jobs`')), d.map((x) => x.message).join('\n'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
