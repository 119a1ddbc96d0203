// The server speaks the editor's language: `locale` from initialize selects the
// message catalog for diagnostics and hovers.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fixturesDir } from '../helpers';
import { startServer } from './client';
import type { TestClient } from './client';

const uri = pathToFileURL(path.join(fixturesDir, 'lsp', 'config.yaml')).toString();
const TEXT = 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\nlora_rnak: 8\ntemplate: qwen\n';
const HANGUL = /[\uac00-\ud7a3]/;

/** Starts a server in `locale`, opens the misspelled config and hands the unknown-key message to `check`. */
async function withUnknownKey(locale: string, check: (message: string, client: TestClient) => Promise<void>): Promise<void> {
  const client = await startServer({ locale });
  try {
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: TEXT } });
    const unknown = (await published).diagnostics.find((d) => d.code === 'unknown-key');
    assert.ok(unknown);
    await check(unknown.message as string, client);
  } finally {
    await client.close();
  }
}

test('with locale ko the server publishes Korean diagnostics and hovers', () =>
  withUnknownKey('ko', async (message, client) => {
    assert.match(message, HANGUL);
    assert.match(message, /`lora_rank`/);
    const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 3 } })) as Hover;
    const md = (h.contents as MarkupContent).value;
    assert.match(md, /\*\*finetuning_type\*\*/);
    assert.match(md, HANGUL);
  }));

test('with locale zh-cn the server publishes Chinese diagnostics', () =>
  withUnknownKey('zh-CN', async (message) => {
    assert.match(message, /[\u4e00-\u9fff]/);
  }));
