// The language service's public face: the server, the CLI and the tests all
// go through `createLanguageService`. Parsing is cached per document version.
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, Hover, InlayHint, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { analyze, effectiveKind, finish } from './analyze';
import { allCodes, codeDocUrl } from './codes';
import { DataScanner } from './context/data/scan';
import { checkRegistry, isRegistryFile } from './context/data/registry-check';
import type { Analysis } from './analyze';
import { defaultParseLimits, parseConfig } from './document';
import type { ConfigDocument, ParseLimits } from './document';
import { applyEdits } from './edits';
import { codeActions, fixAll } from './features/actions';
import { complete } from './features/completion';
import { hover } from './features/hover';
import { codeLenses, inlayHints } from './features/lenses';
import { links } from './features/links';
import { symbols } from './features/symbols';
import { estimateDetails } from './features/estimate';
import type { MemoryEstimateResult } from './features/estimate';
import { newConfig } from './features/new-config';
import type { NewConfigParams, NewConfigResult } from './features/new-config';
import { gpuChoices } from './presentation';
import type { GpuChoice } from './presentation';
import { resolveGpu, suggestGpuIds } from './hardware/resolve';
import type { DetectedGpu } from './hardware/target';
import { findProjectConfig, isExcluded, isProjectConfigFile, parseYamlProjectConfig } from './project/config';
import type { ProjectConfig, ProjectSettings } from './project/config';
import { rankBySimilarity } from './text/similar';
import { memoize } from './memo';
import type { TargetGpu } from './hardware/types';
import type { AnalysisContext } from './context';
import type { RuleSeverity, ServiceHost, ServiceSettings } from './types';
import { releaseResolver } from './context/release/resolve';
import type { ReleaseChoice, ResolvedRelease } from './context/release/resolve';

export type { Analysis, ConfigDocument, DetectedGpu, GpuChoice, MemoryEstimateResult, NewConfigParams, NewConfigResult, ParseLimits, AnalysisContext, ProjectConfig, ProjectSettings, ReleaseChoice, ResolvedRelease, RuleSeverity, ServiceHost, ServiceSettings, TargetGpu };
export { allCodes, codeDocUrl, isProjectConfigFile, isRegistryFile };
export { globToRegExp } from './glob';
export { FIX_ALL_KIND } from './features/actions';

/** The codes spelt most like `code` (for "did you mean"), closest first. */
export function similarCodes(code: string, limit = 3): string[] {
  return rankBySimilarity(code, allCodes()).slice(0, limit).map((r) => r.candidate);
}
export { describeRelease, releaseStatus } from './context/release/resolve';

export interface TargetOptions {
  detected?: DetectedGpu;
  gpuSource?: 'setting' | 'cli';
  /** The CLI gave --gpus. */
  gpuCountGiven?: boolean;
  /** The CLI's --launch command line. */
  launch?: string;
  /** The CLI's --lf-version / --lf-path. */
  releaseChoice?: ReleaseChoice;
}
export type { LaunchSummary } from './context/launch/describe';
export { launchSummary } from './memory/report';
import { defaultSettings } from './types';
export { defaultSettings };
export { defaultParseLimits } from './document';
export { parseNvidiaSmi, parseRocmSmi } from './hardware/detect';
export { setLocale, t } from './l10n';
export { DEFAULT_SCAN_MB, DEFAULT_TRUNCATION_WARN_PERCENT } from './context/data/view';
export type { FileStat } from './types';

export interface DocumentInput {
  uri: string;
  text: string;
  /** Editor version; documents with a version are cached until it changes. */
  version?: number;
  /** File-system path of the document, for the paths it references. */
  configPath: string;
}

export interface LanguageService {
  /** The parsed document; `limits` are this document's (the service's own fill in what is missing). */
  parse(input: DocumentInput, limits?: Partial<ParseLimits>): ConfigDocument;
  analyze(input: DocumentInput, settings: ServiceSettings, target?: TargetOptions): Analysis & { doc: ConfigDocument };
  /** Key/value hover; the precision keys add the guide (target GPU, what-if estimates). */
  hover(context: AnalysisContext, position: Position): Hover | null;
  /** Completion for the release the document's last analysis used (detected afresh when it has none). */
  complete(doc: ConfigDocument, position: Position, configPath: string): CompletionItem[];
  /**
   * Checks a --lf-version / --lf-path value before any file is analysed; returns
   * what was looked for when it names no release or folder with LLaMA-Factory.
   */
  checkReleaseChoice(choice: ReleaseChoice, cwd: string): string | undefined;
  symbols(doc: ConfigDocument): DocumentSymbol[];
  links(doc: ConfigDocument, configPath: string): DocumentLink[];
  codeActions(context: AnalysisContext, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[];
  /** The memory estimate on the first line, and the model's size and estimate after its name. */
  codeLenses(context: AnalysisContext): CodeLens[];
  inlayHints(context: AnalysisContext): InlayHint[];
  /** The memory estimate with its summary, Markdown breakdown and common GPUs; null when the config cannot be sized. */
  estimate(context: AnalysisContext): MemoryEstimateResult | null;
  /** A new training config that fits the GPU; `configPath` is where it would be saved (its references resolve from there). */
  newConfig(params: NewConfigParams, configPath: string): NewConfigResult;
  /** The GPU catalog, for pickers. */
  gpus(): GpuChoice[];
  /** The project config (`.llamafactory-lint.yaml` or `[tool.llamafactory-lint]`) nearest above a file, if any. */
  projectConfig(configPath: string): ProjectConfig | undefined;
  /**
   * Settings for one file: `explicit` (editor settings, CLI flags; only what the user set) over its
   * project config over the defaults. The result remembers the project config (`project`).
   */
  settingsFor<T extends Partial<ServiceSettings>>(configPath: string, explicit: T): T & ServiceSettings;
  /** Whether the project config of a file excludes it from checking. */
  isExcluded(configPath: string): boolean;
  /**
   * The edits of every applicable fix, non-overlapping: the safe (meaning-preserving) fix of each
   * diagnostic, or with `unsafe` its preferred fix.
   */
  fixAll(context: AnalysisContext, diagnostics: Diagnostic[], options?: { unsafe?: boolean }): TextEdit[];
  /** A document's text with edits applied. */
  applyEdits(doc: ConfigDocument, edits: TextEdit[]): string;
  /** The catalog id a GPU name resolves to, and the closest ids when none does. */
  resolveGpu(name: string): { id?: string; suggestions: string[] };
  /** Forgets a closed document. */
  forget(uri: string): void;
  /** The folders of the LLaMA-Factory (and transformers) sources read so far: an editor watches them for changes. */
  releaseSourceFolders(): string[];
  /**
   * Files under a read source changed (a file watcher's report): the next analyses read that source
   * again. True when a source read one of them, so open documents should be checked again.
   */
  releaseFilesChanged(paths: readonly string[]): boolean;
  /** Compares every read source with the disk now, for editors that cannot watch files; true when one changed. */
  recheckReleaseSources(): boolean;
  /** Background scans of the dataset files configs name: progress and completion hooks, and a promise for when all are done. */
  data: DataScanner;
}

type Analyzed = Analysis & { doc: ConfigDocument };

/**
 * The service for one host. Everything that varies per document (settings, parse limits,
 * whether Hub lookups are allowed) arrives with each call, never as service-wide state.
 */
export function createLanguageService(host: ServiceHost, defaultLimits: Partial<ParseLimits> = {}): LanguageService {
  const cache = new Map<string, { version: number; text: string; limits: ParseLimits; doc: ConfigDocument }>();
  // The last analysis per document: hover, lenses and actions of one version reuse it.
  const analyses = new Map<string, { doc: ConfigDocument; settings: ServiceSettings; target?: TargetOptions; scans: number; result: Analyzed }>();
  const data = new DataScanner(host);
  // The release each document was last checked against, for completion (which gets no settings).
  const releases = new Map<string, ResolvedRelease>();
  // The host as a document without Hub lookups sees it.
  const offline: ServiceHost = { ...host, hubConfig: undefined, hubDataset: undefined };
  // One resolver for both: the sources it has read are the same files either way.
  const resolver = releaseResolver(host);
  /** A changed source makes every kept analysis stale. */
  const sourcesChanged = (changed: boolean): boolean => {
    if (changed) analyses.clear();
    return changed;
  };
  const parse = (input: DocumentInput, own: Partial<ParseLimits> = {}): ConfigDocument => {
    const limits: ParseLimits = { ...defaultParseLimits, ...defaultLimits, ...own };
    const hit = cache.get(input.uri);
    if (hit && input.version !== undefined && hit.version === input.version && hit.text === input.text && sameLimits(hit.limits, limits)) return hit.doc;
    const doc = parseConfig(input.uri, input.text, limits);
    if (input.version !== undefined) cache.set(input.uri, { version: input.version, text: input.text, limits, doc });
    return doc;
  };
  const projectConfigs = new Map<string, { text: string; config: ProjectConfig }>();
  /** Reads through the host, re-parsing a project config only when its text changed. */
  const projectConfig = (configPath: string): ProjectConfig | undefined => {
    let text: string | undefined;
    const found = findProjectConfig((p) => (text = host.readFile(p)), configPath);
    if (!found || text === undefined) return found;
    const hit = projectConfigs.get(found.path);
    if (hit && hit.text === text) return hit.config;
    projectConfigs.set(found.path, { text, config: found });
    return found;
  };
  return {
    parse,
    analyze(input, settings, target) {
      // A dataset registry opened on its own (JSON, never a config): its entries against data/parser.py. Its text
      // is read as JSON only; the YAML document beside the diagnostics is empty (parsing JSON as YAML cost 12 ms
      // of the 13.6 ms a 750-line registry took).
      if (isRegistryFile(input.configPath)) {
        const doc = parseConfig(input.uri, '', { ...defaultParseLimits, ...defaultLimits, ...settings.limits });
        const analysed = analyze(offline, { doc, configPath: input.configPath, settings, ...target, releases: resolver });
        return { ...analysed, diagnostics: finish(doc, settings, checkRegistry(input.text, input.configPath, host)).map(withDocLink), doc };
      }
      const doc = parse(input, settings.limits);
      // The project config itself (an "other" YAML file): its mistakes, read from the editor's text.
      if (isProjectConfigFile(input.configPath)) {
        const analysed = analyze(offline, { doc, configPath: input.configPath, settings, ...target, releases: resolver });
        return { ...analysed, diagnostics: parseYamlProjectConfig(input.configPath, input.text).problems.map(withDocLink), doc };
      }
      const hit = analyses.get(input.uri);
      if (hit && hit.doc === doc && hit.settings === settings && hit.scans === data.generation && sameTarget(hit.target, target)) return hit.result;
      // A `files` glob can make a document a config; features below read doc.kind.
      doc.kind = effectiveKind(doc, input.configPath, settings);
      const scans = data.generation;
      const analysed = analyze(settings.hubLookup ? host : offline, { doc, configPath: input.configPath, settings, ...target, data, releases: resolver });
      const result = { ...analysed, diagnostics: analysed.diagnostics.map(withDocLink), doc };
      releases.set(input.uri, result.release);
      if (input.version !== undefined) analyses.set(input.uri, { doc, settings, target, scans, result });
      return result;
    },
    hover: (ctx, p) => hover(ctx, p),
    complete: (doc, p, configPath) => {
      const release = releases.get(doc.uri) ?? resolver.resolve(configPath, doc.text);
      return complete(doc, p, configPath, host, release);
    },
    checkReleaseChoice(choice, cwd) {
      const found = resolver.explicit(choice, cwd);
      return 'problem' in found ? found.problem : undefined;
    },
    symbols: (doc) => symbols(doc),
    links: (doc, configPath) => links(doc, configPath, host),
    codeActions: (ctx, range, diagnostics, only) => codeActions(ctx, range, diagnostics, only),
    codeLenses: (ctx) => codeLenses(ctx),
    inlayHints: (ctx) => inlayHints(ctx),
    data,
    estimate: (ctx) => estimateDetails(ctx),
    newConfig: (params, configPath) => newConfig(offline, params, configPath),
    gpus: () => gpuChoices(),
    projectConfig,
    settingsFor(configPath, explicit) {
      const project = projectConfig(configPath);
      const p: Partial<ProjectSettings> = project?.settings ?? {};
      return {
        ...defaultSettings,
        ...explicit,
        files: [...(p.files ?? []), ...(explicit.files ?? [])],
        rules: { ...p.rules, ...explicit.rules },
        gpu: explicit.gpu || p.gpu || '',
        gpuCount: explicit.gpuCount ?? p.gpus ?? defaultSettings.gpuCount,
        ...(project ? { project } : {}),
      };
    },
    isExcluded: (configPath) => isExcluded(projectConfig(configPath), configPath),
    fixAll: (ctx, diagnostics, options) => fixAll(ctx, diagnostics, { unsafe: options?.unsafe ?? false }),
    applyEdits: (doc, edits) => applyEdits(doc, edits),
    resolveGpu(name) {
      const match = resolveGpu(name);
      return match ? { id: match.gpu.id, suggestions: [] } : { suggestions: suggestGpuIds(name) };
    },
    forget: (uri) => {
      cache.delete(uri);
      analyses.delete(uri);
      releases.delete(uri);
    },
    releaseSourceFolders: () => resolver.sourceFolders(),
    releaseFilesChanged: (paths) => sourcesChanged(resolver.filesChanged(paths)),
    recheckReleaseSources: () => sourcesChanged(resolver.recheck()),
  };
}

/** Each code's page address, built once. */
const docUrl = memoize((code: string) => codeDocUrl(code), 1024);

/**
 * The diagnostic with a link to its rule page (a copy: analyses are cached). Object.assign,
 * not a spread: diagnostics come in many shapes, and V8 copies them by spread some ten times
 * slower (4 µs each; a long file has thousands of them).
 */
function withDocLink(d: Diagnostic): Diagnostic {
  return d.code === undefined ? d : Object.assign({}, d, { codeDescription: { href: docUrl(String(d.code)) } });
}

function sameLimits(a: ParseLimits, b: ParseLimits): boolean {
  return a.maxChars === b.maxChars && a.maxAliasExpansions === b.maxAliasExpansions && a.maxDepth === b.maxDepth;
}

function sameTarget(a: TargetOptions | undefined, b: TargetOptions | undefined): boolean {
  return a?.gpuSource === b?.gpuSource && a?.detected?.name === b?.detected?.name && a?.detected?.count === b?.detected?.count
    && a?.gpuCountGiven === b?.gpuCountGiven && a?.launch === b?.launch
    && a?.releaseChoice?.value === b?.releaseChoice?.value && a?.releaseChoice?.via === b?.releaseChoice?.via;
}
