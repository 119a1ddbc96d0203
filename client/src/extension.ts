// The VS Code side: start the language server, expose its log, and show in
// the language-status area whether the current YAML file is a LLaMA-Factory
// config. Everything else happens in the server.
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { DocumentStatusRequest, EstimateMemoryRequest, SETTINGS_SECTION } from '../../server/src/protocol';
import { showEstimate } from './estimateView';
import { pickGpu } from './gpuPicker';
import { newConfig } from './newConfig';
import { onPythonEnvironmentChange, selectedPythonPrefix } from './pythonEnvironment';
import { setLocale, t } from '../../server/src/service/presentation';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;
let status: vscode.LanguageStatusItem;
let gpuStatus: vscode.LanguageStatusItem;
let versionStatus: vscode.LanguageStatusItem;

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
      // LLaMA-Factory's dataset registry, by its exact name: no other JSON goes to the server.
      { scheme: 'file', language: 'json', pattern: '**/dataset_info.json' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: log,
    // The server runs nvidia-smi only when the user allows it AND this is true.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    middleware: {
      workspace: {
        // The settings the server reads carry the selected Python environment (where LLaMA-Factory may be installed).
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return Promise.all(result.map(async (r: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== SETTINGS_SECTION || !r || typeof r !== 'object') return r;
            const pythonEnvironment = await selectedPythonPrefix(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
            return pythonEnvironment ? { ...(r as object), pythonEnvironment } : r;
          }));
        },
      },
    },
  };
  return new LanguageClient('llamafactory', 'LLaMA Factory Config', serverOptions, clientOptions);
}

async function refreshStatus(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'yaml') return;
  try {
    const s = await client.sendRequest(DocumentStatusRequest, { uri: editor.document.uri.toString() });
    const recognised = s.kind !== 'other';
    status.text = recognised ? t('LLaMA-Factory {0} config', s.kind === 'llamafactory-v1' ? 'v1' : 'v0') : t('Not a LLaMA-Factory config');
    status.detail = recognised ? '' : t('Add `# llamafactory: v0` on the first line to check it anyway');
    gpuStatus.text = recognised ? s.target : '';
    versionStatus.text = recognised && s.release ? s.release.text : '';
    versionStatus.detail = recognised && s.release ? s.release.detail : '';
    versionStatus.severity = s.release?.warning ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    status.severity = vscode.LanguageStatusSeverity.Information;
  } catch (e) {
    log.warn(`status request failed: ${String(e)}`);
  }
}

/** What activate() returns to other extensions (and the extension-host tests): the language-status items as shown for the active editor. */
export interface ExtensionApi {
  languageStatus(): Promise<Record<'config' | 'gpu' | 'version', { text: string; detail: string }>>;
}

const shownItem = (item: vscode.LanguageStatusItem): { text: string; detail: string } => ({ text: item.text, detail: item.detail ?? '' });

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  // The client's own texts follow VS Code's display language; the server gets it through initialize.
  setLocale(vscode.env.language);
  log = vscode.window.createOutputChannel('LLaMA Factory Config', { log: true });
  status = vscode.languages.createLanguageStatusItem('llamafactory.status', { language: 'yaml' });
  status.name = 'LLaMA Factory Config';
  status.command = { title: t('Show Output'), command: 'llamafactory.showOutput' };
  gpuStatus = vscode.languages.createLanguageStatusItem('llamafactory.gpu', { language: 'yaml' });
  gpuStatus.name = t('LLaMA Factory target GPU');
  gpuStatus.command = { title: t('Select GPU'), command: 'llamafactory.selectGpu' };
  versionStatus = vscode.languages.createLanguageStatusItem('llamafactory.version', { language: 'yaml' });
  versionStatus.name = t('LLaMA-Factory version');
  versionStatus.command = { title: t('Choose Version'), command: 'workbench.action.openSettings', arguments: ['llamafactory.version'] };
  context.subscriptions.push(log, status, gpuStatus, versionStatus);

  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('llamafactory.restartServer', async () => {
      log.info('restarting the language server');
      await client?.restart();
      await refreshStatus();
    }),
    vscode.commands.registerCommand('llamafactory.showOutput', () => log.show(true)),
    vscode.commands.registerCommand('llamafactory.estimateMemory', async (uri?: string) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      if (!client || !target) return undefined;
      const result = await client.sendRequest(EstimateMemoryRequest, { uri: target });
      if (!result) {
        void vscode.window.showWarningMessage(t('No memory estimate: open a LLaMA-Factory training config whose model is known.'));
        return undefined;
      }
      showEstimate(result);
      return result;
    }),
    vscode.commands.registerCommand('llamafactory.newConfig', () => (client ? newConfig(client) : undefined)),
    vscode.commands.registerCommand('llamafactory.selectGpu', async (uri?: string) => {
      await pickGpu(uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri);
      await refreshStatus();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      // Restart so the server learns the workspace is trusted now.
      await client?.restart();
      await refreshStatus();
    }),
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
  // Another interpreter may hold another LLaMA-Factory: the server re-reads its settings, then re-checks.
  const pythonWatch = await onPythonEnvironmentChange(() => {
    void client?.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).then(refreshStatus);
  });
  if (pythonWatch) context.subscriptions.push(pythonWatch);
  await refreshStatus();
  return {
    languageStatus: async () => {
      await refreshStatus();
      return { config: shownItem(status), gpu: shownItem(gpuStatus), version: shownItem(versionStatus) };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
