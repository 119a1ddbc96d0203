// The server reads the same project config as the CLI: .llamafactory-lint.yaml
// or [tool.llamafactory-lint] in pyproject.toml; editor settings win over it,
// and its mistakes are shown in the file that holds them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer } from './client';

const CONFIG = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: alpaca_en_demo\ntemplate: qwen\nfinetuning_type: lora\noutput_dir: out\n';
let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'lsp-project-'));
  fs.writeFileSync(path.join(dir, '.llamafactory-lint.yaml'), 'rules:\n  report-to-default: error\n');
  fs.mkdirSync(path.join(dir, 'py'));
  fs.writeFileSync(path.join(dir, 'py', 'pyproject.toml'), '[tool.llamafactory-lint]\ngpu = "potato-9000"\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function within<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref())]);
}

async function diagnosticsFor(settings: Record<string, unknown>, file: string, text: string, also?: string): Promise<PublishDiagnosticsParams[]> {
  const client = await startServer({ settings, rootUri: pathToFileURL(dir).toString() });
  try {
    const uri = pathToFileURL(file).toString();
    const waits = [client.nextDiagnostics(uri), ...(also ? [client.nextDiagnostics(pathToFileURL(also).toString())] : [])];
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return await within(Promise.all(waits), `diagnostics for ${path.basename(file)}`);
  } finally {
    await client.close();
  }
}

test('the project config sets severities; the editor setting wins over it', async () => {
  const file = path.join(dir, 'a.yaml');
  const [fromProject] = await diagnosticsFor({}, file, CONFIG);
  assert.equal(fromProject.diagnostics.find((d) => d.code === 'report-to-default')?.severity, 1);
  const [fromEditor] = await diagnosticsFor({ rules: { 'report-to-default': 'off' } }, file, CONFIG);
  assert.equal(fromEditor.diagnostics.find((d) => d.code === 'report-to-default'), undefined);
});

test('an open .llamafactory-lint.yaml shows its mistakes; a pyproject.toml gets its mistakes published', async () => {
  const [own] = await diagnosticsFor({}, path.join(dir, '.llamafactory-lint.yaml'), 'rules:\n  report-to-default: loud\n');
  assert.deepEqual(own.diagnostics.map((d) => [d.code, d.range.start.line]), [['config-invalid', 1]]);
  assert.match(String(own.diagnostics[0].codeDescription?.href), /docs\/rules\/config-invalid\.md$/);
  const pyproject = path.join(dir, 'py', 'pyproject.toml');
  const [, published] = await diagnosticsFor({}, path.join(dir, 'py', 'b.yaml'), CONFIG, pyproject);
  assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['config-invalid', 1]]);
  assert.match(String(published.diagnostics[0].message), /potato-9000/);
});

test('the fix-all action has the tool\'s own kind, source.fixAll.llamafactory', async () => {
  const client = await startServer({ rootUri: pathToFileURL(dir).toString() });
  try {
    const uri = pathToFileURL(path.join(dir, 'c.yaml')).toString();
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: `${CONFIG}lora_rnak: 8\n` } });
    await within(published, 'diagnostics');
    const actions = await within(client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }), 'code actions') as { kind: string }[];
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.llamafactory']);
  } finally {
    await client.close();
  }
});
