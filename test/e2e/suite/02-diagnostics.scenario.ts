// fp16 + bf16: VS Code holds one error on the bf16 key with fp16 as related information.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticWithCode, keyRange, openFixture, ours } from './util';

suite('diagnostics', () => {
  test('fp16 and bf16 together: conflict-fp16-bf16 on the bf16 key', async () => {
    const { document } = await openFixture('conflict-fp16-bf16.yaml');
    const d = await diagnosticWithCode(document.uri, 'conflict-fp16-bf16');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.range.isEqual(keyRange(document, 'bf16')), `range ${JSON.stringify(d.range)}`);
    assert.match(d.message, /fp16.*bf16/);
    const related = d.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.toString() === document.uri.toString() && r.location.range.isEqual(keyRange(document, 'fp16'))),
      'fp16 is pointed at as related information');
    assert.deepEqual(ours(document.uri).filter((x) => codeOf(x) === 'conflict-fp16-bf16').length, 1);
  });
});
