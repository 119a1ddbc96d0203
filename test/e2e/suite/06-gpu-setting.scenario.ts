// Changing llamafactory.gpu re-validates open configs: bf16 on a T4 is emulated.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticWithCode, keyRange, openFixture, ours, waitFor } from './util';

const settings = () => vscode.workspace.getConfiguration('llamafactory');

suite('GPU setting', () => {
  teardown(() => settings().update('gpu', undefined, vscode.ConfigurationTarget.Global));

  test('llamafactory.gpu = t4 adds hw-bf16-emulated on bf16, clearing it removes it', async () => {
    const { document } = await openFixture('sft-bf16.yaml');
    // report-to-default shows the file has been checked, so the absence below means something.
    await diagnosticWithCode(document.uri, 'report-to-default');
    assert.ok(!ours(document.uri).some((d) => codeOf(d) === 'hw-bf16-emulated'), 'no GPU target yet');

    await settings().update('gpu', 't4', vscode.ConfigurationTarget.Global);
    const d = await diagnosticWithCode(document.uri, 'hw-bf16-emulated');
    assert.ok(d.range.isEqual(keyRange(document, 'bf16')));
    assert.match(d.message, /T4/);

    await settings().update('gpu', 'a100-80gb-sxm', vscode.ConfigurationTarget.Global);
    await waitFor('hw-bf16-emulated to clear on an A100', () => (ours(document.uri).some((x) => codeOf(x) === 'hw-bf16-emulated') ? undefined : true));
  });
});
