// Starts the VS Code 1.139 server from the code-server package on Node 24 and
// opens its web workbench in Debian's Chromium through playwright-core. The
// process group is killed on stop: the server leaves file watchers and agent
// hosts behind otherwise.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { tools } from './tools';

export interface VsCodeServer {
  readonly base: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench free of welcome pages, chat and update prompts. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `llamafactory-${prefix}-`));
}

/** Copies a folder of fixtures to `dest`, a workspace the editor may change, and returns `dest`. */
export function workspaceFrom(fixtures: string, dest: string): string {
  fs.cpSync(fixtures, dest, { recursive: true });
  return dest;
}

export async function startVsCodeServer(opts: { dataDir: string; extensionsDir: string; env?: NodeJS.ProcessEnv }): Promise<VsCodeServer> {
  const port = await freePort();
  fs.mkdirSync(path.join(opts.dataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(opts.dataDir, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  const child = spawn(tools.node24, [
    tools.vscodeServer, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry',
    '--server-data-dir', opts.dataDir, '--user-data-dir', opts.dataDir, '--extensions-dir', opts.extensionsDir,
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let log = '';
  child.stdout.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const server: VsCodeServer = {
    base,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`VS Code server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${base}/version`)).status < 500) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`VS Code server did not answer within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: tools.chromium,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The workbench URL for a folder; the test payload makes the server load an extension under development and run its tests. */
export function workbenchUrl(server: VsCodeServer, folder: string, dev?: { extensionPath: string; testsPath: string }): string {
  // The authority is code-server's literal remote authority `remote`; host:port makes the workbench ignore the payload.
  const remote = (p: string) => `vscode-remote://remote${p}`;
  let url = `${server.base}/?folder=${encodeURIComponent(folder)}`;
  if (dev) url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remote(dev.extensionPath)], ['extensionTestsPath', remote(dev.testsPath)]]))}`;
  return url;
}
