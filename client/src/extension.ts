// The VS Code side: start the language server, expose its log, and show in
// the language-status area whether the current YAML file is a LLaMA-Factory
// config. Everything else happens in the server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { DocumentStatusRequest, SETTINGS_SECTION } from '../../server/src/protocol';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;
let status: vscode.LanguageStatusItem;

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: log,
  };
  return new LanguageClient('llamafactory', 'LLaMA Factory Config', serverOptions, clientOptions);
}

async function refreshStatus(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'yaml') return;
  try {
    const s = await client.sendRequest(DocumentStatusRequest, { uri: editor.document.uri.toString() });
    const recognised = s.kind !== 'other';
    status.text = recognised ? `LLaMA-Factory ${s.kind === 'llamafactory-v1' ? 'v1' : 'v0'} config` : 'Not a LLaMA-Factory config';
    status.detail = recognised ? s.target : 'Add `# llamafactory: v0` on the first line to check it anyway';
    status.severity = vscode.LanguageStatusSeverity.Information;
  } catch (e) {
    log.warn(`status request failed: ${String(e)}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  log = vscode.window.createOutputChannel('LLaMA Factory Config', { log: true });
  status = vscode.languages.createLanguageStatusItem('llamafactory.status', { language: 'yaml' });
  status.name = 'LLaMA Factory Config';
  status.command = { title: 'Show Output', command: 'llamafactory.showOutput' };
  context.subscriptions.push(log, status);

  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('llamafactory.restartServer', async () => {
      log.info('restarting the language server');
      await client?.restart();
      await refreshStatus();
    }),
    vscode.commands.registerCommand('llamafactory.showOutput', () => log.show(true)),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) void refreshStatus();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) void refreshStatus();
    }),
  );
  await client.start();
  log.info(`language server started`);
  await refreshStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
