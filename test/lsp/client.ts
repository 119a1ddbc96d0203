// A minimal LSP client over the built server's stdio: spawns server/out/server.js
// exactly as an editor would, so bundling mistakes show up here.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { ClientCapabilities, ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../helpers';

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` (optionally for a given version). */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  /** Every publishDiagnostics received so far, in order. */
  published: PublishDiagnosticsParams[];
  close(): Promise<void>;
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  rootUri?: string;
  /** The editor's display language, sent in initialize. */
  locale?: string;
  /** initializationOptions (VS Code's client sends `{ trusted }`). */
  initializationOptions?: unknown;
  /** Extra arguments for node before the server script (e.g. --require a preload). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startServer(opts: StartOptions = {}): Promise<TestClient> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(repoRoot, 'server/out/server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: opts.env ?? process.env,
  });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    const i = waiting.findIndex((w) => w.uri === p.uri && (w.version === undefined || w.version === p.version));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(p);
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => opts.settings ?? {}));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: opts.rootUri ?? null,
    ...(opts.locale ? { locale: opts.locale } : {}),
    ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
    capabilities: opts.capabilities ?? { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    nextDiagnostics: (uri, version) => new Promise((resolve) => waiting.push({ uri, version, resolve })),
    published,
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));
      connection.dispose();
    },
  };
}
