// Helpers shared by the scenarios: open a fixture from the test workspace,
// wait for what VS Code reports, and skip with a recorded reason.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'llamafactory-config-tools.llamafactory-config-tools';
export const SOURCE = 'llamafactory';

/** Why a scenario was skipped, by full title; index.ts puts it in the report. */
export const skipReasons = new Map<string, string>();

export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const title = ctx.test?.fullTitle() ?? '?';
  skipReasons.set(title, reason);
  console.log(`skipped: ${title}: ${reason}`);
  ctx.skip();
}

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner must open the e2e workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc);
}

/** Polls until `pick` returns something other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, pick: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await pick();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Our diagnostics on a document, as VS Code holds them. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** Waits until a diagnostic with `code` is reported on `uri` and returns it. */
export function diagnosticWithCode(uri: vscode.Uri, code: string, ms?: number): Promise<vscode.Diagnostic> {
  return waitFor(`diagnostic ${code} on ${uri.path}`, () => ours(uri).find((d) => codeOf(d) === code), ms);
}

/** The range of `key` (the key text, not the value) on the first line that starts with it. */
export function keyRange(doc: vscode.TextDocument, key: string): vscode.Range {
  for (let line = 0; line < doc.lineCount; line++) {
    if (doc.lineAt(line).text.startsWith(`${key}:`)) return new vscode.Range(line, 0, line, key.length);
  }
  assert.fail(`no line starts with ${key}:`);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}
