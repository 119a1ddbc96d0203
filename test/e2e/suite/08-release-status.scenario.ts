// The language-status item names the LLaMA-Factory a config is checked
// against. A project whose .venv holds the llamafactory package (the vendored
// 0.9.3 hparams/ and extras/, with its dist-info) shows
// "LLaMA-Factory 0.9.3 · .venv", with the package folder as its detail.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import { EXTENSION_ID, fixtureUri, waitFor } from './util';

/** The repository root, from out/test/e2e/suite. */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

suite('LLaMA-Factory version', () => {
  test('a .venv with LLaMA-Factory 0.9.3 shows in the language-status item', async () => {
    const project = fixtureUri('venv-project');
    const site = path.join(project.fsPath, '.venv', 'lib', 'python3.11', 'site-packages');
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'lf-releases', 'v0.9.3', 'src', 'llamafactory'), path.join(site, 'llamafactory'), { recursive: true });
    fs.mkdirSync(path.join(site, 'llamafactory-0.9.3.dist-info'), { recursive: true });
    fs.writeFileSync(path.join(site, 'llamafactory-0.9.3.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: llamafactory\nVersion: 0.9.3\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(project, 'train.yaml'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext?.isActive, 'the extension is active once a YAML file is open');
    const shown = await waitFor('the version item to name 0.9.3', async () => {
      const version = (await ext.exports.languageStatus()).version;
      return version.text.includes('0.9.3') ? version : undefined;
    });
    assert.equal(shown.text, 'LLaMA-Factory 0.9.3 · .venv');
    assert.equal(shown.detail, path.join(site, 'llamafactory'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
