// Datasets over the built server's stdio, as an editor sees them: an open
// dataset_info.json gets its own diagnostics (and nothing a YAML config gets),
// while other JSON stays silent.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startServer } from './client';

test('an open dataset_info.json gets diagnostics at its entries; other JSON gets none', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lf-registry-'));
  writeFileSync(path.join(dir, 'here.json'), '[]');
  const uri = pathToFileURL(path.join(dir, 'dataset_info.json')).toString();
  const other = pathToFileURL(path.join(dir, 'settings.json')).toString();
  const text = '{\n  "a": {"file_name": "here.json", "formating": "alpaca"},\n  "b": {"file_name": "gone.json"}\n}\n';
  const client = await startServer({ rootUri: pathToFileURL(dir).toString() });
  try {
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const diagnostics = (await published).diagnostics;
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.code]), [[1, 'dataset-info-unknown-field'], [2, 'dataset-info-file-missing']]);
    assert.equal(diagnostics[0].range.start.character, text.split('\n')[1].indexOf('"formating"'));
    // The same text under another name is not a registry.
    const quiet = client.nextDiagnostics(other);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'json', version: 1, text } });
    assert.deepEqual((await quiet).diagnostics, []);
    // An edit that fixes the field clears its diagnostic.
    const fixed = client.nextDiagnostics(uri, 2);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text.replace('"formating"', '"formatting"') }] });
    assert.deepEqual((await fixed).diagnostics.map((d) => d.code), ['dataset-info-file-missing']);
  } finally {
    await client.close();
  }
});
