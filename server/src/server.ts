// The LSP server: glue between the protocol and the language service. Every
// feature lives in server/src/service; this file only routes messages, keeps
// per-document settings and schedules validation.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createNodeHost } from './nodeHost';
import { detectGpu } from './detectGpu';
import { createHubConfigs } from './hubConfigs';
import { DocumentStatusRequest, EstimateMemoryRequest, NewConfigRequest, SETTINGS_SECTION } from './protocol';
import { createLanguageService, FIX_ALL_KIND } from './service';
import type { Analysis, ConfigDocument, DetectedGpu, ProjectConfig } from './service';
import { newConfig } from './service/features/new-config';
import { COMMON_COUNTS, COMMON_GPUS } from './service/memory/common-gpus';
import { breakdownMarkdown, estimateReport, summaryLine, whatFits } from './service/memory/report';
import { editorChoices, normalizeSettings } from './settings';
import type { ServerSettings } from './settings';
import { version } from './version';
import { setLocale } from './service/l10n';

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

/** The files that hold project settings, watched where the client can watch files. */
const PROJECT_CONFIG_GLOBS = ['**/.llamafactory-lint.yaml', '**/.llamafactory-lint.yml', '**/pyproject.toml'];

/** Analysis faster than this (under the gap between two keystrokes of a fast typist) is never delayed. */
const KEYSTROKE_MS = 50;
/** The longest an edit waits for more edits before a slow document is validated. */
const MAX_DELAY_MS = 250;

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
  // A fetched config changes estimates: drop cached settings (and so cached analyses) and re-check.
  const hub = createHubConfigs(() => {
    settingsCache.clear();
    revalidateAll();
  });
  // File answers are kept for 2 s: enough to cover a burst of keystrokes, short enough to notice saved files.
  const host = { ...createNodeHost(() => [...workspaceRoots, process.cwd()], 2000), hubConfig: (id: string) => hub.get(id) };
  const service = createLanguageService(host);
  const settingsCache = new Map<string, Promise<ServerSettings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let hasConfiguration = false;
  let pullDiagnostics = false;
  let refreshLenses = false;
  let refreshHints = false;
  let watchFiles = false;
  // VS Code tells us whether the workspace is trusted; other editors have no such notion.
  let trusted = true;
  // Settings a client pushes with didChangeConfiguration when it cannot answer workspace/configuration.
  let pushedSettings: unknown = {};

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    let s = settingsCache.get(uri);
    if (!s) {
      const raw = hasConfiguration ? connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then((v) => v, () => ({})) : Promise.resolve(pushedSettings);
      s = raw.then((v) => {
        const settings = normalizeSettings(v);
        hub.allowed = settings.hubLookup && trusted;
        // The project config (.llamafactory-lint.yaml, pyproject.toml) under what the user set in the editor.
        const merged = service.settingsFor(pathOf(uri), editorChoices(settings));
        publishProjectProblems(merged.project);
        return merged;
      });
      settingsCache.set(uri, s);
    }
    return s;
  };

  // Mistakes in a project config that is not open (pyproject.toml, a closed .llamafactory-lint.yaml) go
  // to that file; an open .llamafactory-lint.yaml gets them from its own analysis.
  const projectProblemsSent = new Map<string, string>();
  const publishProjectProblems = (project: ProjectConfig | undefined): void => {
    if (!project) return;
    const uri = pathToFileURL(project.path).toString();
    const key = JSON.stringify(project.problems);
    if (documents.get(uri) || projectProblemsSent.get(uri) === key) return;
    projectProblemsSent.set(uri, key);
    void connection.sendDiagnostics({ uri, diagnostics: project.problems });
  };

  const detected = async (settings: ServerSettings): Promise<DetectedGpu | undefined> =>
    settings.detectGpu && trusted && !settings.gpu ? detectGpu() : undefined;

  const analyseWith = async (td: TextDocument, settings: ServerSettings): Promise<Analysis & { doc: ConfigDocument }> => {
    const gpu = await detected(settings);
    service.setLimits(settings.limits);
    return service.analyze({ uri: td.uri, text: td.getText(), version: td.version, configPath: pathOf(td.uri) }, settings, gpu ? { detected: gpu } : undefined);
  };
  const analyse = async (td: TextDocument): Promise<Analysis & { doc: ConfigDocument }> => analyseWith(td, await settingsFor(td.uri));

  const parsed = (uri: string): { doc: ConfigDocument; configPath: string } | undefined => {
    const td = documents.get(uri);
    if (!td) return undefined;
    return { doc: service.parse({ uri, text: td.getText(), version: td.version, configPath: pathOf(uri) }), configPath: pathOf(uri) };
  };

  // How long each document's last analysis took, which paces its validation (see schedule).
  const lastCost = new Map<string, number>();
  const publish = async (td: TextDocument): Promise<void> => {
    const version = td.version;
    const stale = () => documents.get(td.uri)?.version !== version;
    const settings = await settingsFor(td.uri);
    // A newer edit arrived while settings were fetched: skip this analysis, the newer run publishes.
    if (stale()) return;
    const start = performance.now();
    const a = await analyseWith(td, settings);
    // The first analysis of a document also compiles the service's code and schema: it says nothing about the next ones.
    lastCost.set(td.uri, lastCost.has(td.uri) ? performance.now() - start : 0);
    if (stale()) return;
    await connection.sendDiagnostics({ uri: td.uri, version, diagnostics: a.diagnostics });
  };

  // A document that analyses faster than a keystroke is checked on the next turn of the event loop;
  // a slower one waits as long as its last analysis took, so the edits of a burst coalesce into one
  // run and validation takes at most about half the CPU. Either way a run overtaken by a newer edit
  // is dropped before it publishes.
  const schedule = (td: TextDocument): void => {
    if (pullDiagnostics) return;
    clearTimeout(timers.get(td.uri));
    const cost = lastCost.get(td.uri) ?? 0;
    timers.set(td.uri, setTimeout(() => {
      timers.delete(td.uri);
      void publish(td).catch((e) => connection.console.error(`validation failed: ${String(e)}`));
    }, cost > KEYSTROKE_MS ? Math.min(cost, MAX_DELAY_MS) : 0));
  };

  connection.onInitialize((params): InitializeResult => {
    // The editor's display language; the service speaks it for the life of this process.
    setLocale(params.locale);
    const caps = params.capabilities;
    hasConfiguration = Boolean(caps.workspace?.configuration);
    pullDiagnostics = Boolean(caps.textDocument?.diagnostic);
    refreshLenses = Boolean(caps.workspace?.codeLens?.refreshSupport);
    refreshHints = Boolean(caps.workspace?.inlayHint?.refreshSupport);
    watchFiles = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    trusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false;
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri));
    if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [pathOf(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', ','] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'llamafactory-language-server', version },
    };
  });

  connection.onInitialized(() => {
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    // A saved project config changes every document's settings.
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: PROJECT_CONFIG_GLOBS.map((globPattern) => ({ globPattern })) });
    connection.workspace.onDidChangeWorkspaceFolders?.((e) => {
      const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
      workspaceRoots = [...workspaceRoots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOf(f.uri))];
    });
  });

  function revalidateAll(): void {
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else documents.all().forEach(schedule);
    // The estimate in lenses and hints depends on the settings (target GPU) too.
    if (refreshLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (refreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
    if (pushed !== undefined) pushedSettings = pushed;
    settingsCache.clear();
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles(() => {
    settingsCache.clear();
    revalidateAll();
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    lastCost.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    service.forget(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    const td = documents.get(params.textDocument.uri);
    if (!td) return { kind: 'full', items: [] };
    return { kind: 'full', items: (await analyse(td)).diagnostics };
  });

  connection.onHover(async (p) => {
    const td = documents.get(p.textDocument.uri);
    // The analysis is cached per version; the precision guide reads its target and estimate.
    return td ? service.hover((await analyse(td)).context, p.position) : null;
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
  connection.onCodeLens(async (p) => {
    const td = documents.get(p.textDocument.uri);
    return td ? service.codeLenses((await analyse(td)).context) : [];
  });
  connection.languages.inlayHint.on(async (p) => {
    const td = documents.get(p.textDocument.uri);
    return td ? service.inlayHints((await analyse(td)).context) : [];
  });
  connection.onRequest(EstimateMemoryRequest, async (p) => {
    const td = documents.get(p.uri);
    if (!td) return null;
    const ctx = (await analyse(td)).context;
    const report = estimateReport(ctx);
    if (!report) return null;
    return { report, summary: summaryLine(report), markdown: breakdownMarkdown(report), whatFits: whatFits(ctx, COMMON_GPUS, COMMON_COUNTS) };
  });
  connection.onRequest(DocumentStatusRequest, async (p) => {
    const td = documents.get(p.uri);
    if (!td) return { kind: 'other' as const, target: '' };
    const a = await analyse(td);
    return { kind: a.kind, target: a.targetStatus };
  });

  // The new file is untitled; its references resolve as if it sat in the first workspace folder.
  connection.onRequest(NewConfigRequest, (p) => newConfig(host, p, path.join(workspaceRoots[0] ?? process.cwd(), 'llamafactory-config.yaml')));

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) main();

