// The LLaMA-Factory a config is checked against can change under an open editor:
// the user pulls a new snapshot or edits an hparams file. Diagnostics must follow
// without an edit to the YAML: through a file watcher the server asks the client
// for, or (for clients that cannot watch files) by comparing the sources with the disk.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers';
import { startServer, within, WAIT_MS } from './client';
import type { TestClient } from './client';

/** `cache_dir` is a ModelArguments field in LLaMA-Factory 0.9.5 (hparams/model_args.py). */
const CONFIG = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\nfinetuning_type: lora\noutput_dir: out\ncache_dir: /tmp/hf\n';
const CACHE_DIR_LINE = 5;
const FIELD = '    cache_dir: str | None = field(';

let checkout: string;
let modelArgs: string;

before(() => {
  // A checkout: the vendored 0.9.5 sources (hparams/ whole) with the config beside src/.
  checkout = fs.mkdtempSync(path.join(tmpdir(), 'lsp-release-'));
  fs.cpSync(path.join(repoRoot, 'test/fixtures/lf-releases/v0.9.5'), checkout, { recursive: true });
  modelArgs = path.join(checkout, 'src/llamafactory/hparams/model_args.py');
  assert.ok(fs.readFileSync(modelArgs, 'utf8').includes(`\n${FIELD}\n`), 'the fixture declares cache_dir');
});
after(() => fs.rmSync(checkout, { recursive: true, force: true }));

const unknownAt = (p: PublishDiagnosticsParams): number[] => p.diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.range.start.line);

/** Renames the field in the checkout's model_args.py (`to` back to cache_dir restores it). */
function renameField(to: string): void {
  const text = fs.readFileSync(modelArgs, 'utf8');
  fs.writeFileSync(modelArgs, text.replace(/\n {4}\w*cache_dir: str \| None = field\(\n/, `\n    ${to}: str | None = field(\n`));
}

/** Opens the config; resolves with its first diagnostics. */
async function open(client: TestClient, file: string): Promise<{ uri: string; first: PublishDiagnosticsParams }> {
  const uri = pathToFileURL(file).toString();
  const first = client.nextDiagnostics(uri, 1);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: CONFIG } });
  return { uri, first: await first };
}

/** Resolves once `check` holds, polling every 20 ms; fails after WAIT_MS naming `what`. */
function until(check: () => boolean, what: string): Promise<void> {
  return within(new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!check()) return;
      clearInterval(timer);
      resolve();
    }, 20);
    timer.unref();
  }), what, WAIT_MS);
}

test('an hparams file edited in the checkout re-checks the open config, through a watcher the server registers', async () => {
  const file = path.join(checkout, 'watched.yaml');
  const client = await startServer({
    rootUri: pathToFileURL(checkout).toString(),
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } },
  });
  try {
    renameField('cache_dir');
    const { uri, first } = await open(client, file);
    assert.deepEqual(unknownAt(first), [], 'cache_dir is a key of the checkout');
    const pkg = path.join(checkout, 'src', 'llamafactory');
    const watches = () => client.registered.filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: unknown }[] }).watchers.map((w) => w.globPattern));
    await until(() => watches().some((g) => typeof g === 'object' && (g as { baseUri: string }).baseUri === pathToFileURL(pkg).toString()), 'a watcher on the checkout\'s package folder');
    renameField('hf_cache_dir');
    const next = client.nextDiagnostics(uri, 1);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(modelArgs).toString(), type: 2 }] });
    assert.deepEqual(unknownAt(await next), [CACHE_DIR_LINE], 'cache_dir is no longer a key after the rename');
  } finally {
    await client.close();
    renameField('cache_dir');
  }
});

test('a client that cannot watch files still sees an edited hparams file, within seconds', async () => {
  const file = path.join(checkout, 'polled.yaml');
  const client = await startServer({ rootUri: pathToFileURL(checkout).toString() });
  try {
    renameField('cache_dir');
    const { uri, first } = await open(client, file);
    assert.deepEqual(unknownAt(first), []);
    renameField('hf_cache_dir');
    const next = client.nextDiagnostics(uri, 1);
    assert.deepEqual(unknownAt(await next), [CACHE_DIR_LINE]);
  } finally {
    await client.close();
    renameField('cache_dir');
  }
});
