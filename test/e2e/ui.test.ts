// UI smoke test of the packaged extension: the VSIX is installed into the
// bundled VS Code with --install-extension, then the workbench is driven in
// Chromium like a user would: open a config, read the Problems panel, hover the
// squiggle. Screenshots go to the artifacts folder.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { fixturesDir, repoRoot } from '../helpers';
import { packageVsix } from '../vsix';
import { artifactsDir, e2eTest, tools } from './tools';
import { launchBrowser, startVsCodeServer, tempDir, workbenchUrl, workspaceFrom } from './vscodeServer';

interface Manifest {
  publisher: string;
  name: string;
  version: string;
  contributes: { commands: { command: string; title: string }[] };
}
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** A manifest string as VS Code shows it in English (`%key%` looked up in package.nls.json). */
const manifestText = (s: string) => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? s);
const FILE = 'conflict-fp16-bf16.yaml';

async function openByQuickOpen(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: file }).waitFor();
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

e2eTest('VS Code UI: the installed VSIX shows Problems and hovers', ['node24', 'codeServer', 'vscodeServer', 'chromium'], async (t) => {
  const work = tempDir('ui');
  const extensionsDir = path.join(work, 'extensions');
  fs.mkdirSync(artifactsDir, { recursive: true });
  const mark = (() => {
    const t0 = Date.now();
    return (step: string) => t.diagnostic(`${Date.now() - t0} ms: ${step}`);
  })();
  try {
    const vsix = path.join(work, `${manifest.name}.vsix`);
    packageVsix(vsix);
    mark('VSIX packaged');
    const install = spawnSync(tools.node24, [tools.codeServer, '--config', path.join(work, 'code-server.yaml'), '--user-data-dir', path.join(work, 'data'),
      '--extensions-dir', extensionsDir, '--install-extension', vsix], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(install.status, 0, install.stderr + install.stdout);
    const installed = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    assert.ok(fs.existsSync(path.join(installed, 'server', 'out', 'server.js')), `${install.stdout}\n${fs.readdirSync(extensionsDir).join(', ')}`);
    mark('VSIX installed with --install-extension');

    const server = await startVsCodeServer({ dataDir: path.join(work, 'data'), extensionsDir });
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(workbenchUrl(server, workspaceFrom(path.join(fixturesDir, 'e2e'), path.join(work, 'workspace'))));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view', { hasText: FILE }).waitFor({ timeout: 60_000 });
      mark('workbench shows the workspace');

      await openByQuickOpen(page, FILE);
      const squiggle = page.locator('.monaco-editor .squiggly-error').first();
      await squiggle.waitFor({ timeout: 60_000 });
      mark('error squiggle drawn');

      await page.keyboard.press('Control+Shift+M');
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'are both on' }).first();
      await problem.waitFor({ timeout: 30_000 });
      const row = await problem.innerText();
      assert.match(row, /conflict-fp16-bf16/);
      assert.match(row, /\[Ln 11, Col 1\]/);
      await page.screenshot({ path: path.join(artifactsDir, 'problems.png') });
      mark('Problems panel lists conflict-fp16-bf16');

      // The text layer covers the squiggle, so hover by coordinates rather than with locator.hover().
      const box = await squiggle.boundingBox();
      assert.ok(box);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'half-precision' }).first();
      await hover.waitFor({ timeout: 30_000 });
      assert.match(await hover.innerText(), /conflict-fp16-bf16/);
      await page.screenshot({ path: path.join(artifactsDir, 'hover.png') });
      mark('hover on the squiggle shows the diagnostic');

      const estimate = manifest.contributes.commands.find((c) => c.command === 'llamafactory.estimateMemory');
      assert.ok(estimate, 'the manifest contributes Estimate Memory');
      await page.keyboard.press('Escape');
      // A config with a target GPU: the lens on its first line shows the estimate against the card.
      await openByQuickOpen(page, 'estimate-4090.yaml');
      const lens = page.locator('.codelens-decoration', { hasText: 'GeForce RTX 4090' }).first();
      await lens.waitFor({ timeout: 60_000 });
      assert.match(await lens.innerText(), /≈ \d+\.\d GiB \(nvidia-smi\) \/ 24\.0 GiB on GeForce RTX 4090/);
      await page.screenshot({ path: path.join(artifactsDir, 'inline-estimate.png') });
      mark('the code lens shows the estimate');
      await runCommand(page, manifestText(estimate.title));
      // The view renders inside two nested frames; wait for its table, not just the frame.
      const view = page.frameLocator('iframe.webview').first().frameLocator('iframe').first();
      await view.locator('#whatfits').waitFor({ timeout: 30_000 });
      assert.match(await view.locator('#summary').innerText(), /GiB/);
      await page.screenshot({ path: path.join(artifactsDir, 'estimate-memory.png') });
      mark('Estimate Memory view open');
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    t.diagnostic(`screenshots in ${artifactsDir}`);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
