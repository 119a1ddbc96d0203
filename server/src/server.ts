// The LSP server: glue between the protocol and the language service. Every
// feature lives in server/src/service; this file only routes messages, keeps
// per-document settings and schedules validation.
import { fileURLToPath } from 'node:url';
import { CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createNodeHost } from './nodeHost';
import { DocumentStatusRequest, SETTINGS_SECTION } from './protocol';
import { createLanguageService } from './service';
import type { Analysis, ConfigDocument } from './service';
import { normalizeSettings } from './settings';
import type { ServerSettings } from './settings';
import { version } from './version';

const HELP = `Usage: llamafactory-language-server [--stdio | --node-ipc | --socket=PORT]

The LLaMA-Factory config language server. Editors start it and talk LSP over
stdio (or Node IPC when VS Code starts it).

Options:
  --stdio       talk over standard input/output
  --node-ipc    talk over Node's IPC channel
  --version     print the version
  --help        print this help`;

function main(): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--version')) {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (argv.includes('--help') || !argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  startServer(createConnection(ProposedFeatures.all));
}

function pathOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

export function startServer(connection: Connection): void {
  // Stray console output would corrupt the stdio channel; send it to the client's log instead.
  console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
  console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));

  const documents = new TextDocuments(TextDocument);
  let workspaceRoots: string[] = [];
  const host = createNodeHost(() => [...workspaceRoots, process.cwd()]);
  const service = createLanguageService(host);
  const settingsCache = new Map<string, Promise<ServerSettings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let hasConfiguration = false;
  let pullDiagnostics = false;

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!hasConfiguration) return Promise.resolve(normalizeSettings({}));
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(normalizeSettings, () => normalizeSettings({}));
      settingsCache.set(uri, s);
    }
    return s;
  };

  const analyseWith = (td: TextDocument, settings: ServerSettings): Analysis & { doc: ConfigDocument } => {
    service.setLimits(settings.limits);
    return service.analyze({ uri: td.uri, text: td.getText(), version: td.version, configPath: pathOf(td.uri) }, settings);
  };
  const analyse = async (td: TextDocument): Promise<Analysis & { doc: ConfigDocument }> => analyseWith(td, await settingsFor(td.uri));

  const parsed = (uri: string): { doc: ConfigDocument; configPath: string } | undefined => {
    const td = documents.get(uri);
    if (!td) return undefined;
    return { doc: service.parse({ uri, text: td.getText(), version: td.version, configPath: pathOf(uri) }), configPath: pathOf(uri) };
  };

  const publish = async (td: TextDocument): Promise<void> => {
    const version = td.version;
    const stale = () => documents.get(td.uri)?.version !== version;
    const settings = await settingsFor(td.uri);
    // A newer edit arrived while settings were fetched: skip this analysis, the newer run publishes.
    if (stale()) return;
    const a = analyseWith(td, settings);
    if (stale()) return;
    await connection.sendDiagnostics({ uri: td.uri, version, diagnostics: a.diagnostics });
  };

  const schedule = (td: TextDocument): void => {
    if (pullDiagnostics) return;
    clearTimeout(timers.get(td.uri));
    timers.set(td.uri, setTimeout(() => {
      timers.delete(td.uri);
      void publish(td).catch((e) => connection.console.error(`validation failed: ${String(e)}`));
    }, 15));
  };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    hasConfiguration = Boolean(caps.workspace?.configuration);
    pullDiagnostics = Boolean(caps.textDocument?.diagnostic);
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri));
    if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [pathOf(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', ','] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'llamafactory-language-server', version },
    };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    connection.workspace.onDidChangeWorkspaceFolders?.((e) => {
      const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
      workspaceRoots = [...workspaceRoots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOf(f.uri))];
    });
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else documents.all().forEach(schedule);
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    settingsCache.delete(e.document.uri);
    service.forget(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    const td = documents.get(params.textDocument.uri);
    if (!td) return { kind: 'full', items: [] };
    return { kind: 'full', items: (await analyse(td)).diagnostics };
  });

  connection.onHover((p) => {
    const d = parsed(p.textDocument.uri);
    return d ? service.hover(d.doc, p.position) : null;
  });
  connection.onCompletion((p) => {
    const d = parsed(p.textDocument.uri);
    return d ? service.complete(d.doc, p.position, d.configPath) : [];
  });
  connection.onDocumentSymbol((p) => {
    const d = parsed(p.textDocument.uri);
    return d ? service.symbols(d.doc) : [];
  });
  connection.onDocumentLinks((p) => {
    const d = parsed(p.textDocument.uri);
    return d ? service.links(d.doc, d.configPath) : [];
  });
  connection.onCodeAction(async (p) => {
    const td = documents.get(p.textDocument.uri);
    if (!td) return [];
    const a = await analyse(td);
    // Act on the current diagnostics (with their data), not the client's possibly stale copies.
    return service.codeActions(a.context, p.range, a.diagnostics, p.context.only);
  });
  connection.onRequest(DocumentStatusRequest, async (p) => {
    const td = documents.get(p.uri);
    if (!td) return { kind: 'other' as const, target: '' };
    const a = await analyse(td);
    return { kind: a.kind, target: a.targetStatus };
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) main();

