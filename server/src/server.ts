// The LSP server: glue between the protocol and the language service. Every
// feature lives in server/src/service (reached only through its public API);
// this file only routes messages, keeps per-document settings and schedules
// validation.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Connection, Diagnostic, InitializeParams, InitializeResult, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createNodeHost } from './nodeHost';
import { detectGpu } from './detectGpu';
import { createHubConfigs, createHubDatasets } from './hubConfigs';
import { DocumentStatusRequest, EstimateMemoryRequest, NewConfigRequest, SETTINGS_SECTION } from './protocol';
import { createLanguageService, FIX_ALL_KIND, releaseStatus, setLocale, t } from './service';
import type { Analysis, ConfigDocument, DetectedGpu, LanguageService, ProjectConfig } from './service';
import { editorChoices, normalizeSettings } from './settings';
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

/** Analysis faster than this (under the gap between two keystrokes of a fast typist) is never delayed. */
const KEYSTROKE_MS = 50;
/** The files that hold project settings, watched where the client can watch files. */
const PROJECT_CONFIG_GLOBS = ['**/.llamafactory-lint.yaml', '**/.llamafactory-lint.yml', '**/pyproject.toml'];
/** The longest an edit waits for more edits before a slow document is validated. */
const MAX_DELAY_MS = 250;
/** How often the LLaMA-Factory sources read are compared with the disk when the client cannot watch files. */
const SOURCE_POLL_MS = 2000;

function pathOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

type Analyzed = Analysis & { doc: ConfigDocument };

/** What the client said it can do, read once at initialize. */
interface ClientTraits {
  hasConfiguration: boolean;
  pullDiagnostics: boolean;
  refreshLenses: boolean;
  refreshHints: boolean;
  /** Whether the client watches files for us (so a saved project config is noticed). */
  watchFiles: boolean;
  /** Whether its watchers take a base folder and a pattern (so a folder outside the workspace can be watched). */
  relativePatterns: boolean;
  /** VS Code tells us whether the workspace is trusted; other editors have no such notion. */
  trusted: boolean;
}

/** The state one connection's handlers share. */
interface Session {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: LanguageService;
  client: ClientTraits;
  workspaceRoots: string[];
  /** Settings a client pushes with didChangeConfiguration when it cannot answer workspace/configuration. */
  pushedSettings: unknown;
  /** Each document's own settings; cleared when settings (or a fetched Hub config) change. */
  settingsCache: Map<string, Promise<ServerSettings>>;
  timers: Map<string, NodeJS.Timeout>;
  /** How long each document's last analysis took, which paces its validation (see schedule). */
  lastCost: Map<string, number>;
  /** The project-config problems last published per file, so each change is sent once. */
  projectProblems: Map<string, string>;
  /** LLaMA-Factory source folders the client has been asked to watch. */
  watchedSources: Set<string>;
}

export function startServer(connection: Connection): void {
  routeConsoleToClient(connection);
  const session = createSession(connection);
  connection.onInitialize((params) => initialize(session, params));
  connection.onInitialized(() => initialized(session));
  watchSettingsAndDocuments(session);
  answerDocumentRequests(session);
  answerCustomRequests(session);
  reportDataScans(session);
  session.documents.listen(connection);
  connection.listen();
}

/** Dataset files are scanned in the background: work-done progress in the editor, and a finished scan re-checks the open configs. */
function reportDataScans(session: Session): void {
  const reporters = new Map<number, Promise<WorkDoneProgressServerReporter | undefined>>();
  const data = session.service.data;
  data.onDidScan = () => revalidateAll(session);
  data.onProgress = (p) => {
    const file = path.basename(p.file);
    if (p.phase === 'begin') {
      reporters.set(p.id, session.connection.window.createWorkDoneProgress().then((r) => {
        r.begin(t('Scanning dataset'), 0, file, false);
        return r;
      }, () => undefined));
      return;
    }
    const reporter = reporters.get(p.id);
    if (p.phase === 'report') void reporter?.then((r) => r?.report(p.percentage, file));
    else {
      reporters.delete(p.id);
      void reporter?.then((r) => r?.done());
    }
  };
}

/** Stray console output would corrupt the stdio channel; send it to the client's log instead. */
function routeConsoleToClient(connection: Connection): void {
  console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
  console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
}

function createSession(connection: Connection): Session {
  // A fetched model config changes estimates, a fetched dataset card the hover: drop cached settings (and so cached analyses) and re-check.
  const fetched = () => {
    session.settingsCache.clear();
    revalidateAll(session);
  };
  const hub = createHubConfigs(fetched);
  const hubData = createHubDatasets(fetched);
  // File answers are kept for 2 s: enough to cover a burst of keystrokes, short enough to notice saved files.
  // The service asks hubConfig and hubDataset only for documents whose own settings allow Hub lookups.
  const host = { ...createNodeHost(() => [...session.workspaceRoots, process.cwd()], 2000), hubConfig: (id: string) => hub.get(id), hubDataset: (id: string) => hubData.get(id) };
  const session: Session = {
    connection,
    documents: new TextDocuments(TextDocument),
    service: createLanguageService(host),
    client: { hasConfiguration: false, pullDiagnostics: false, refreshLenses: false, refreshHints: false, watchFiles: false, relativePatterns: false, trusted: true },
    workspaceRoots: [],
    pushedSettings: {},
    settingsCache: new Map(),
    timers: new Map(),
    lastCost: new Map(),
    projectProblems: new Map(),
    watchedSources: new Set(),
  };
  return session;
}

/** One document's settings, fetched once; Hub lookups and GPU detection need a trusted workspace. */
function settingsFor(session: Session, uri: string): Promise<ServerSettings> {
  let s = session.settingsCache.get(uri);
  if (!s) {
    const { connection, client } = session;
    const raw = client.hasConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then((v) => v, () => ({}))
      : Promise.resolve(session.pushedSettings);
    s = raw.then((v) => {
      const normalized = normalizeSettings(v);
      const settings = { ...normalized, hubLookup: normalized.hubLookup && client.trusted, detectGpu: normalized.detectGpu && client.trusted };
      // The project config (.llamafactory-lint.yaml, pyproject.toml) under what the user set in the editor.
      const merged = session.service.settingsFor(pathOf(uri), editorChoices(settings));
      publishProjectProblems(session, merged.project);
      return merged;
    });
    session.settingsCache.set(uri, s);
  }
  return s;
}

/**
 * Mistakes in a project config that is not open (pyproject.toml, a closed .llamafactory-lint.yaml) are
 * published for that file; an open .llamafactory-lint.yaml gets them from its own analysis.
 */
function publishProjectProblems(session: Session, project: ProjectConfig | undefined): void {
  if (!project) return;
  const uri = pathToFileURL(project.path).toString();
  const key = JSON.stringify(project.problems);
  if (session.documents.get(uri) || session.projectProblems.get(uri) === key) return;
  session.projectProblems.set(uri, key);
  void session.connection.sendDiagnostics({ uri, diagnostics: project.problems });
}

const inputOf = (td: TextDocument) => ({ uri: td.uri, text: td.getText(), version: td.version, configPath: pathOf(td.uri) });

async function analyseWith(session: Session, td: TextDocument, settings: ServerSettings): Promise<Analyzed> {
  const gpu: DetectedGpu | undefined = settings.detectGpu && !settings.gpu ? await detectGpu() : undefined;
  return session.service.analyze(inputOf(td), settings, gpu ? { detected: gpu } : undefined);
}

async function analyse(session: Session, td: TextDocument): Promise<Analyzed> {
  return analyseWith(session, td, await settingsFor(session, td.uri));
}

/** The open document parsed with its own limits, for the features that need no analysis. */
async function parsed(session: Session, uri: string): Promise<{ doc: ConfigDocument; configPath: string } | undefined> {
  const td = session.documents.get(uri);
  if (!td) return undefined;
  const settings = await settingsFor(session, uri);
  return { doc: session.service.parse(inputOf(td), settings.limits), configPath: pathOf(uri) };
}

async function publish(session: Session, td: TextDocument): Promise<void> {
  const version = td.version;
  const stale = () => session.documents.get(td.uri)?.version !== version;
  const settings = await settingsFor(session, td.uri);
  // A newer edit arrived while settings were fetched: skip this analysis, the newer run publishes.
  if (stale()) return;
  const start = performance.now();
  const a = await analyseWith(session, td, settings);
  // The first analysis of a document also compiles the service's code and schema: it says nothing about the next ones.
  session.lastCost.set(td.uri, session.lastCost.has(td.uri) ? performance.now() - start : 0);
  if (stale()) return;
  await session.connection.sendDiagnostics({ uri: td.uri, version, diagnostics: withoutFixes(a.diagnostics) });
  watchReleaseSources(session);
}

/**
 * Asks the client to watch each LLaMA-Factory source folder the analyses have read (a checkout, an
 * installed package), so a pulled snapshot or an edited hparams file re-checks the open configs.
 */
function watchReleaseSources(session: Session): void {
  const { client, connection, watchedSources } = session;
  if (!client.watchFiles) return;
  for (const folder of session.service.releaseSourceFolders()) {
    if (watchedSources.has(folder)) continue;
    watchedSources.add(folder);
    const globPattern = client.relativePatterns ? { baseUri: pathToFileURL(folder).toString(), pattern: '**/*.py' } : `${folder.split(path.sep).join('/')}/**/*.py`;
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern }] }).catch(() => watchedSources.delete(folder));
  }
}

/** Without file watching, the sources read are compared with the disk every few seconds while documents are open. */
function pollReleaseSources(session: Session): void {
  if (session.client.watchFiles) return;
  setInterval(() => {
    if (session.documents.all().length > 0 && session.service.recheckReleaseSources()) sourcesChanged(session);
  }, SOURCE_POLL_MS).unref();
}

/** Something the analyses read changed on disk: settings (with the project config) and diagnostics are worked out again. */
function sourcesChanged(session: Session): void {
  session.settingsCache.clear();
  revalidateAll(session);
}

/**
 * The diagnostics as they travel to the editor. Quick-fixes are built from the server's own
 * analysis (see onCodeAction), never from the editor's copies, so the fixes in each diagnostic's
 * data stay here: on a long file with many repeated keys they were a third of every message,
 * and the editor parsed them on each keystroke for nothing.
 */
function withoutFixes(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!(d.data as { fixes?: unknown } | undefined)?.fixes) return d;
    const { fixes: _fixes, ...rest } = d.data as Record<string, unknown>;
    const { data: _data, ...bare } = d;
    return Object.keys(rest).length ? { ...bare, data: rest } : bare;
  });
}

/**
 * A document that analyses faster than a keystroke is checked on the next turn of the event loop;
 * a slower one waits as long as its last analysis took, so the edits of a burst coalesce into one
 * run and validation takes at most about half the CPU. Either way a run overtaken by a newer edit
 * is dropped before it publishes.
 */
function schedule(session: Session, td: TextDocument): void {
  if (session.client.pullDiagnostics) return;
  const { timers } = session;
  clearTimeout(timers.get(td.uri));
  const cost = session.lastCost.get(td.uri) ?? 0;
  timers.set(td.uri, setTimeout(() => {
    timers.delete(td.uri);
    void publish(session, td).catch((e) => session.connection.console.error(`validation failed: ${String(e)}`));
  }, cost > KEYSTROKE_MS ? Math.min(cost, MAX_DELAY_MS) : 0));
}

function revalidateAll(session: Session): void {
  const { connection, client } = session;
  if (client.pullDiagnostics) void connection.languages.diagnostics.refresh();
  else session.documents.all().forEach((td) => schedule(session, td));
  // The estimate in lenses and hints depends on the settings (target GPU) too.
  if (client.refreshLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  if (client.refreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
}

function initialize(session: Session, params: InitializeParams): InitializeResult {
  // The editor's display language; the service speaks it for the life of this process.
  setLocale(params.locale);
  const caps = params.capabilities;
  session.client = {
    hasConfiguration: Boolean(caps.workspace?.configuration),
    pullDiagnostics: Boolean(caps.textDocument?.diagnostic),
    refreshLenses: Boolean(caps.workspace?.codeLens?.refreshSupport),
    refreshHints: Boolean(caps.workspace?.inlayHint?.refreshSupport),
    watchFiles: Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration),
    relativePatterns: Boolean(caps.workspace?.didChangeWatchedFiles?.relativePatternSupport),
    trusted: (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false,
  };
  session.workspaceRoots = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri));
  if (session.workspaceRoots.length === 0 && params.rootUri) session.workspaceRoots = [pathOf(params.rootUri)];
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
      diagnosticProvider: session.client.pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'llamafactory-language-server', version },
  };
}

function initialized(session: Session): void {
  const { connection } = session;
  if (session.client.hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  // A saved project config changes the settings of every document below it.
  if (session.client.watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: PROJECT_CONFIG_GLOBS.map((globPattern) => ({ globPattern })) });
  pollReleaseSources(session);
  connection.workspace.onDidChangeWorkspaceFolders?.((e) => {
    const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
    session.workspaceRoots = [...session.workspaceRoots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOf(f.uri))];
  });
}

function watchSettingsAndDocuments(session: Session): void {
  const { connection, documents } = session;
  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
    if (pushed !== undefined) session.pushedSettings = pushed;
    session.settingsCache.clear();
    revalidateAll(session);
  });
  // A project config or an LLaMA-Factory source file changed.
  connection.onDidChangeWatchedFiles((e) => {
    session.service.releaseFilesChanged(e.changes.map((c) => pathOf(c.uri)));
    sourcesChanged(session);
  });
  documents.onDidOpen((e) => schedule(session, e.document));
  documents.onDidChangeContent((e) => schedule(session, e.document));
  documents.onDidClose((e) => {
    const { uri } = e.document;
    clearTimeout(session.timers.get(uri));
    session.lastCost.delete(uri);
    session.settingsCache.delete(uri);
    session.service.forget(uri);
    if (!session.client.pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
  });
}

/** The standard LSP features, each answered from the document's cached analysis or parse. */
function answerDocumentRequests(session: Session): void {
  const { connection, documents, service } = session;
  const analysed = async (uri: string): Promise<Analyzed | undefined> => {
    const td = documents.get(uri);
    return td ? analyse(session, td) : undefined;
  };
  connection.languages.diagnostics.on(async (p) => {
    const items = withoutFixes((await analysed(p.textDocument.uri))?.diagnostics ?? []);
    watchReleaseSources(session);
    return { kind: 'full', items };
  });
  // The analysis is cached per version; the precision guide reads its target and estimate.
  connection.onHover(async (p) => {
    const a = await analysed(p.textDocument.uri);
    return a ? service.hover(a.context, p.position) : null;
  });
  connection.onCompletion(async (p) => {
    const d = await parsed(session, p.textDocument.uri);
    return d ? service.complete(d.doc, p.position, d.configPath) : [];
  });
  connection.onDocumentSymbol(async (p) => {
    const d = await parsed(session, p.textDocument.uri);
    return d ? service.symbols(d.doc) : [];
  });
  connection.onDocumentLinks(async (p) => {
    const d = await parsed(session, p.textDocument.uri);
    return d ? service.links(d.doc, d.configPath) : [];
  });
  // Act on the current diagnostics (with their data), not the client's possibly stale copies.
  connection.onCodeAction(async (p) => {
    const a = await analysed(p.textDocument.uri);
    return a ? service.codeActions(a.context, p.range, a.diagnostics, p.context.only) : [];
  });
  connection.onCodeLens(async (p) => {
    const a = await analysed(p.textDocument.uri);
    return a ? service.codeLenses(a.context) : [];
  });
  connection.languages.inlayHint.on(async (p) => {
    const a = await analysed(p.textDocument.uri);
    return a ? service.inlayHints(a.context) : [];
  });
}

/** The requests of protocol.ts: memory estimate, document status, new config. */
function answerCustomRequests(session: Session): void {
  const { connection, documents, service } = session;
  connection.onRequest(EstimateMemoryRequest, async (p) => {
    const td = documents.get(p.uri);
    return td ? service.estimate((await analyse(session, td)).context) : null;
  });
  connection.onRequest(DocumentStatusRequest, async (p) => {
    const td = documents.get(p.uri);
    if (!td) return { kind: 'other' as const, target: '' };
    const a = await analyse(session, td);
    return { kind: a.kind, target: a.targetStatus, release: releaseStatus(a.release) };
  });
  // The new file is untitled; its references resolve as if it sat in the first workspace folder.
  connection.onRequest(NewConfigRequest, (p) => service.newConfig(p, path.join(session.workspaceRoots[0] ?? process.cwd(), 'llamafactory-config.yaml')));
}

if (require.main === module) main();
