// Trust and privacy: with default settings the built server neither starts a
// process nor opens a network connection, whatever it is asked. A preload
// records every attempt (child_process, net, tls, http(s), http2, dns, dgram,
// fetch); a control run proves the recorder sees such calls.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { v0Examples } from '../corpus';
import { fixturesDir, repoRoot } from '../helpers';
import { startServer } from './client';

const preload = path.join(repoRoot, 'out', 'test', 'lsp', 'record-io.js');
const recorded = (log: string): { kind: string; target: string }[] =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; target: string }) : [];

test('the recorder sees process starts and connections (control)', () => {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'lf-io-')), 'io.jsonl');
  const script = `
    const cp = require('node:child_process'); const http = require('node:http'); const net = require('node:net');
    cp.execFileSync(process.execPath, ['-e', '0']);
    http.get('http://127.0.0.1:9/').on('error', () => {});
    net.connect(9, '127.0.0.1').on('error', () => {});
    setTimeout(() => {}, 50);`;
  execFileSync(process.execPath, ['--require', preload, '-e', script], { env: { ...process.env, LLAMAFACTORY_IO_LOG: log }, timeout: 30_000 });
  const kinds = recorded(log).map((r) => r.kind);
  assert.ok(kinds.includes('child_process.execFileSync'), kinds.join());
  assert.ok(kinds.includes('http.get'), kinds.join());
  assert.ok(kinds.includes('net.connect'), kinds.join());
});

/** Opens configs and asks for every feature, so any spawn or connection a feature might make happens. */
async function exercise(client: Awaited<ReturnType<typeof startServer>>, files: string[]): Promise<void> {
  for (const [i, file] of files.entries()) {
    const uri = pathToFileURL(file).toString();
    const text = existsSync(file) ? readFileSync(file, 'utf8') : 'model_name_or_path: acme/unknown-model\nstage: sft\ndo_train: true\ntemplate: qwen\ndataset: alpaca_en_demo\n';
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { diagnostics } = await published;
    const end = { line: text.split('\n').length, character: 0 };
    for (let line = 0; line < Math.min(text.split('\n').length, 30); line += 3) {
      const position = { line, character: 3 + (i % 5) };
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
    }
    await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics } });
    await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    await client.connection.sendRequest('llamafactory/estimateMemory', { uri });
    await client.connection.sendRequest('llamafactory/documentStatus', { uri });
  }
}

// The missing file stands for a config whose model only the Hub would know (its text is made up above).
const configs = () => [path.join(fixturesDir, 'lsp', 'config.yaml'), path.join(fixturesDir, 'lsp', 'hub-only-model.yaml'), ...v0Examples().slice(0, 5)];

test('with default settings the server spawns nothing and connects nowhere', async () => {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'lf-io-')), 'io.jsonl');
  const client = await startServer({ nodeArgs: ['--require', preload], env: { ...process.env, LLAMAFACTORY_IO_LOG: log } });
  try {
    await exercise(client, configs());
  } finally {
    await client.close();
  }
  assert.deepEqual(recorded(log), []);
});

test('in an untrusted workspace GPU detection and Hub lookups stay off even when enabled', async () => {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'lf-io-')), 'io.jsonl');
  const client = await startServer({
    nodeArgs: ['--require', preload],
    env: { ...process.env, LLAMAFACTORY_IO_LOG: log },
    initializationOptions: { trusted: false },
    settings: { detectGpu: true, hubLookup: true },
  });
  try {
    await exercise(client, configs());
  } finally {
    await client.close();
  }
  assert.deepEqual(recorded(log), []);
});

test('the manifest limits untrusted workspaces and GPU detection is off by default', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  const props = manifest.contributes.configuration.properties;
  for (const key of untrusted.restrictedConfigurations ?? []) assert.ok(key in props, `${key} is restricted but not a setting`);
  assert.ok(untrusted.restrictedConfigurations?.includes('llamafactory.detectGpu'));
  assert.equal(props['llamafactory.detectGpu'].default, false);
});

test('the language service imports no process, network or file-system module', () => {
  const forbidden = /from '(?:node:)?(?:child_process|net|tls|http|https|http2|dns|dgram|fs|fs\/promises|worker_threads|cluster)'|require\(|\bfetch\(/;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const offenders = walk(path.join(repoRoot, 'server', 'src', 'service')).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
