// A minimal LSP client over the built server's stdio: spawns server/out/server.js
// exactly as an editor would, so bundling mistakes show up here. Every wait
// (a request's answer, a publish, the exit) fails after a bound with a message
// naming what was awaited, so a missing answer fails the test instead of hanging the run.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { ClientCapabilities, ProtocolConnection, PublishDiagnosticsParams, Registration, RegistrationParams } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../helpers';

/** The longest any one wait lasts; generous, since CI machines are slow and shared. */
export const WAIT_MS = 30_000;

/** `promise`, or a rejection naming `what` once `ms` pass without it settling. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The method name of a request type or string, for timeout messages. */
const methodOf = (type: unknown): string => (typeof type === 'string' ? type : String((type as { method?: unknown }).method));

export interface TestClient {
  /** The connection; its sendRequest answers within WAIT_MS or rejects naming the method. */
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` (optionally for a given version), within WAIT_MS. */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  /** Every publishDiagnostics received so far, in order. */
  published: PublishDiagnosticsParams[];
  /** Every capability the server registered (client/registerCapability), in order. */
  registered: Registration[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** The `llamafactory` settings, the same for every document or chosen per document (by scopeUri). */
  settings?: Record<string, unknown> | ((scopeUri: string | undefined) => Record<string, unknown>);
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
  const send = connection.sendRequest.bind(connection) as (type: unknown, ...params: unknown[]) => Promise<unknown>;
  connection.sendRequest = ((type: unknown, ...params: unknown[]) => within(send(type, ...params), `the answer to ${methodOf(type)}`)) as typeof connection.sendRequest;
  const settingsOf = (scopeUri: string | undefined) => (typeof opts.settings === 'function' ? opts.settings(scopeUri) : opts.settings ?? {});
  const waiting: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    const i = waiting.findIndex((w) => w.uri === p.uri && (w.version === undefined || w.version === p.version));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(p);
  });
  connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) => params.items.map((item) => settingsOf(item.scopeUri)));
  const registered: Registration[] = [];
  connection.onRequest('client/registerCapability', (p: RegistrationParams) => {
    registered.push(...p.registrations);
    return null;
  });
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
    nextDiagnostics: (uri, version) =>
      within(new Promise((resolve) => waiting.push({ uri, version, resolve })), `diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`}`),
    published,
    registered,
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await within(new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve()))), 'the server to exit after shutdown and exit');
      connection.dispose();
    },
  };
}
