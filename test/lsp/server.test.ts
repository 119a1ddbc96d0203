// The built server over real LSP stdio: initialize, open, diagnostics, hover,
// precision guide, completion, code action, new config, pull diagnostics,
// settings, shutdown.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fixturesDir, repoRoot } from '../helpers';
import { startServer } from './client';
import type { TestClient } from './client';

const uri = pathToFileURL(path.join(fixturesDir, 'lsp', 'config.yaml')).toString();
const TEXT = [
  '### model',
  'model_name_or_path: Qwen/Qwen2.5-7B-Instruct',
  'stage: sft',
  'do_train: true',
  'finetuning_type: lora',
  'lora_rnak: 8',
  'template: qwen',
  'fp16: true',
  'bf16: true',
  '',
].join('\n');

let client: TestClient;
before(async () => {
  client = await startServer();
});
after(async () => {
  await client.close();
});

test('diagnostics are pushed for an opened config', async () => {
  const published = client.nextDiagnostics(uri);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: TEXT } });
  const { diagnostics, version } = await published;
  assert.equal(version, 1);
  const unknown = diagnostics.find((d) => d.code === 'unknown-key')!;
  assert.equal(unknown.range.start.line, 5);
  assert.match(unknown.message as string, /lora_rank/);
  assert.ok(diagnostics.some((d) => d.code === 'conflict-fp16-bf16'));
});

test('an edit re-validates', async () => {
  const published = client.nextDiagnostics(uri, 2);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } }, text: 'lora_rank' }],
  });
  const { diagnostics } = await published;
  assert.ok(!diagnostics.some((d) => d.code === 'unknown-key'));
});

test('a burst of edits ends with the newest text validated, and published versions never go back', async () => {
  const before = client.published.length;
  const newest = client.nextDiagnostics(uri, 40);
  for (let v = 10; v <= 40; v++) {
    // Odd versions misspell the key again, even ones fix it: only the newest text decides the result.
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } }, text: v % 2 ? 'lora_rnak' : 'lora_rank' }],
    });
  }
  const { diagnostics } = await newest;
  assert.ok(!diagnostics.some((d) => d.code === 'unknown-key'));
  const versions = client.published.slice(before).filter((p) => p.uri === uri).map((p) => p.version ?? 0);
  assert.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]), `published versions: ${versions.join(', ')}`);
});

test('hover answers with markdown', async () => {
  const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 3 } })) as Hover;
  assert.match((h.contents as MarkupContent).value, /\*\*finetuning_type\*\*/);
});

test('hover on a precision key adds the precision guide', async () => {
  const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 1 } })) as Hover;
  const md = (h.contents as MarkupContent).value;
  assert.match(md, /\*\*bf16\*\*/);
  assert.match(md, /#### Precision guide/);
});

test('llamafactory/newConfig answers with a config for the GPU', async () => {
  const r = (await client.connection.sendRequest('llamafactory/newConfig', { model: 'Qwen/Qwen2.5-7B-Instruct', method: 'qlora', gpu: 'rtx-4090', gpus: 1 })) as { text: string; fits: boolean };
  assert.match(r.text, /^# llamafactory-gpu: rtx-4090\n/);
  assert.match(r.text, /^quantization_bit: 4$/m);
  assert.equal(r.fits, true);
});

test('completion offers templates after `template:`', async () => {
  const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 10 } })) as CompletionList | { label: string }[];
  const list = Array.isArray(items) ? items : items.items;
  assert.ok(list.some((i) => i.label === 'llama3'));
});

test('code actions fix a conflict and offer to disable it', async () => {
  const published = client.nextDiagnostics(uri);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await published;
  const reopened = client.nextDiagnostics(uri, 3);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 3, text: TEXT } });
  const { diagnostics } = await reopened;
  const d = diagnostics.find((x) => x.code === 'unknown-key')!;
  const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const rename = actions.find((a) => a.title.includes('lora_rank'))!;
  assert.equal(rename.edit!.changes![uri][0].newText, 'lora_rank');
  assert.ok(actions.some((a) => a.title === 'Disable unknown-key for this line'));
});

test('a server started with --version and --help prints and exits', () => {
  const server = path.join(repoRoot, 'server/out/server.js');
  assert.match(execFileSync(process.execPath, [server, '--version'], { encoding: 'utf8', timeout: 30_000 }), /^\d+\.\d+\.\d+/);
  assert.match(execFileSync(process.execPath, [server, '--help'], { encoding: 'utf8', timeout: 30_000 }), /--stdio/);
});

test('pull diagnostics and per-document settings', async () => {
  const pull = await startServer({
    capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
    settings: { rules: { 'unknown-key': 'warning' }, gpu: 't4' },
  });
  try {
    await pull.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: TEXT } });
    const report = (await pull.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: { code: string; severity: number }[] };
    assert.equal(report.kind, 'full');
    assert.equal(report.items.find((d) => d.code === 'unknown-key')!.severity, 2);
    assert.ok(report.items.some((d) => d.code === 'hw-bf16-emulated'), 'the gpu setting reaches the hardware rules');
    const status = (await pull.connection.sendRequest('llamafactory/documentStatus', { uri })) as { kind: string; target: string };
    assert.equal(status.kind, 'llamafactory-v0');
    assert.match(status.target, /T4/);
  } finally {
    await pull.close();
  }
});

test('code lens, inlay hint and the estimateMemory request', async () => {
  const oomUri = pathToFileURL(path.join(fixturesDir, 'memory', 'llama3-8b-lora-4090.yaml')).toString();
  const text = readFileSync(new URL(oomUri), 'utf8');
  const published = client.nextDiagnostics(oomUri);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: oomUri, languageId: 'yaml', version: 1, text } });
  const { diagnostics } = await published;
  assert.ok(diagnostics.some((d) => d.code === 'memory-exceeds-gpu'));
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: oomUri } })) as { command: { title: string } }[];
  assert.match(lenses[0].command.title, /GiB \(nvidia-smi\) \/ 24\.0 GiB on GeForce RTX 4090/);
  const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri: oomUri },
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
  })) as { label: string; tooltip: MarkupContent }[];
  assert.match(hints[0].label, /GiB/);
  assert.match(hints[0].tooltip.value, /logits and loss/);
  const result = (await client.connection.sendRequest('llamafactory/estimateMemory', { uri: oomUri })) as {
    report: { fits: boolean; gpu: { id: string }; breakdown: unknown[] };
    whatFits: { gpu: { id: string }; counts: { gpus: number; fits: boolean }[] }[];
  };
  assert.equal(result.report.fits, false);
  assert.equal(result.report.gpu.id, 'rtx-4090');
  assert.ok(result.report.breakdown.length >= 4);
  const h200 = result.whatFits.find((r) => r.gpu.id === 'h200-sxm-141gb')!;
  assert.equal(h200.counts[0].fits, true);
});

test('a client without workspace/configuration can push settings', async () => {
  const plain = await startServer({ capabilities: { textDocument: {} } });
  try {
    await plain.connection.sendNotification('workspace/didChangeConfiguration', { settings: { llamafactory: { gpu: 't4' } } });
    const published = plain.nextDiagnostics(uri);
    await plain.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: TEXT } });
    const { diagnostics } = await published;
    assert.ok(diagnostics.some((d) => d.code === 'hw-bf16-emulated'));
  } finally {
    await plain.close();
  }
});
