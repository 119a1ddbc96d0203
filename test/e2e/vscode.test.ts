// Runs the extension-host scenarios (suite/*.scenario.ts) inside the real VS
// Code 1.139 server: the workbench loads this repository as the extension
// under development and suite/index.js as extensionTestsPath, exactly as
// @vscode/test-electron would, and reports the result via codeAutomationExit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../helpers';
import type { ScenarioResult } from './report';
import { e2eTest } from './tools';
import { launchBrowser, startVsCodeServer, tempDir, workbenchUrl, workspaceFrom } from './vscodeServer';

const EXPECTED = ['activation', 'diagnostics', 'hover', 'quick-fix', 'completion', 'GPU setting', 'memory estimate', 'LLaMA-Factory version'];

e2eTest('VS Code extension host: every scenario passes', ['node24', 'vscodeServer', 'chromium'], async (t) => {
  const work = tempDir('exthost');
  const report = path.join(work, 'report.json');
  const server = await startVsCodeServer({
    dataDir: path.join(work, 'data'),
    extensionsDir: path.join(work, 'extensions'),
    env: { LLAMAFACTORY_E2E_REPORT: report },
  });
  const browser = await launchBrowser();
  const browserLog: string[] = [];
  try {
    browser.page.on('console', (m) => browserLog.push(m.text()));
    const exit = new Promise<number>((resolve) => void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const url = workbenchUrl(server, workspaceFrom(path.join(fixturesDir, 'e2e'), path.join(work, 'workspace')), {
      extensionPath: repoRoot,
      testsPath: path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js'),
    });
    const started = Date.now();
    await browser.page.goto(url);
    const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no codeAutomationExit within 180 s')), 180_000).unref());
    const code = await Promise.race([exit, timeout]);
    assert.ok(fs.existsSync(report), `the suite wrote no report; browser console:\n${browserLog.join('\n')}\nserver:\n${server.output()}`);
    const results = JSON.parse(fs.readFileSync(report, 'utf8')) as ScenarioResult[];
    t.diagnostic(`workbench start to codeAutomationExit: ${Date.now() - started} ms`);
    for (const r of results) t.diagnostic(`${r.state}: ${r.title}${r.durationMs === undefined ? '' : ` [${r.durationMs} ms]`}${r.skipReason ? ` (${r.skipReason})` : ''}`);
    const failed = results.filter((r) => r.state === 'failed');
    assert.deepEqual(failed.map((r) => `${r.title}\n${r.error}`), []);
    assert.equal(code, 0);
    for (const s of EXPECTED) assert.ok(results.some((r) => r.title.startsWith(`${s} `)), `scenario suite "${s}" ran`);
    assert.ok(results.filter((r) => r.state === 'passed').length >= 9, 'at least the nine scenarios that need no memory estimate passed');
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
