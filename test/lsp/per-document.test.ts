// Settings belong to one document: two documents open in one server, each with
// its own `llamafactory.limits.*` and `llamafactory.hubLookup`, never see each
// other's values, whichever was fetched last.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers';
import { startServer } from './client';
import type { TestClient } from './client';

const HEAD = 'stage: sft\ndo_train: true\nfinetuning_type: lora\ntemplate: qwen\n';
const uriIn = (folder: string) => pathToFileURL(path.join(os.tmpdir(), 'lf-per-document', folder, 'train.yaml')).toString();

async function open(client: TestClient, uri: string, text: string) {
  const published = client.nextDiagnostics(uri);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return (await published).diagnostics;
}

test('parse limits stay with their document', async () => {
  const large = uriIn('large-ok');
  const small = uriIn('small-limit');
  // Over the smallest allowed maxFileSize (1,000 characters), far under the default.
  const largeText = `model_name_or_path: Qwen/Qwen2.5-7B\n${HEAD}${'# notes\n'.repeat(200)}`;
  const client = await startServer({ settings: (scope) => (scope === small ? { limits: { maxFileSize: 1000 } } : {}) });
  try {
    assert.ok(!(await open(client, large, largeText)).some((d) => d.code === 'file-too-large'));
    assert.ok((await open(client, small, largeText)).some((d) => d.code === 'file-too-large'), 'the small limit applies to its own document');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: large } })) as { name: string }[];
    assert.ok(symbols.some((s) => s.name === 'model_name_or_path'), 'the large document is still parsed with its own limit');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: large },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    })) as { title: string }[];
    assert.ok(!actions.some((a) => /file-too-large/.test(a.title)));
  } finally {
    await client.close();
  }
});

test('a document without Hub lookups never fetches, even after one with them was opened', async () => {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'lf-io-')), 'io.jsonl');
  const off = uriIn('hub-off');
  const on = uriIn('hub-on');
  const client = await startServer({
    nodeArgs: ['--require', path.join(repoRoot, 'out', 'test', 'lsp', 'record-io.js')],
    // Nothing listens on port 9: a fetch fails at once, and the recorder still sees it.
    env: { ...process.env, LLAMAFACTORY_IO_LOG: log, HF_ENDPOINT: 'http://127.0.0.1:9' },
    settings: (scope) => ({ hubLookup: scope === on }),
  });
  try {
    await open(client, off, `model_name_or_path: acme/off-model\n${HEAD}`);
    await open(client, on, `model_name_or_path: acme/on-model\n${HEAD}`);
    for (const uri of [off, on]) {
      await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      await client.connection.sendRequest('llamafactory/estimateMemory', { uri });
    }
  } finally {
    await client.close();
  }
  const fetched = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"fetch"')) : [];
  assert.ok(fetched.some((l) => l.includes('acme/on-model')), 'the document that allows lookups asks the Hub (control)');
  assert.deepEqual(fetched.filter((l) => l.includes('acme/off-model')), []);
});
