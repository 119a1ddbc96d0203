// The language service's public face: the server, the CLI and the tests all
// go through `createLanguageService`. Parsing is cached per document version.
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, Hover, InlayHint, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { analyze, effectiveKind } from './analyze';
import { allCodes, codeDocUrl } from './codes';
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
import { rankBySimilarity } from './text/similar';
import { gpuCatalog } from './hardware/catalog';
import { resolveGpu, suggestGpuIds } from './hardware/resolve';
import type { DetectedGpu } from './hardware/target';
import type { TargetGpu } from './hardware/types';
import { estimateReport, summarizeGpu } from './memory/report';
import type { EstimateReport, GpuSummary } from './memory/report';
import { findProjectConfig, isExcluded, isProjectConfigFile, parseYamlProjectConfig } from './project/config';
import type { ProjectConfig, ProjectSettings } from './project/config';
import type { RuleContext } from './rules/types';
import type { ServiceHost, ServiceSettings } from './types';

export type { Analysis, ConfigDocument, DetectedGpu, EstimateReport, GpuSummary, ParseLimits, ProjectConfig, ProjectSettings, RuleContext, ServiceHost, ServiceSettings, TargetGpu };
export { breakdownMarkdown, summaryLine } from './memory/report';
export { LOCALES, normalizeLocale, setLocale, t } from './l10n';
export { allCodes, codeDocUrl, isProjectConfigFile };
export { globToRegExp } from './glob';
export { FIX_ALL_KIND } from './features/actions';

/** The codes spelt most like `code` (for "did you mean"), closest first. */
export function similarCodes(code: string, limit = 3): string[] {
  return rankBySimilarity(code, allCodes()).slice(0, limit).map((r) => r.candidate);
}

export interface TargetOptions {
  detected?: DetectedGpu;
  gpuSource?: 'setting' | 'cli';
}
import { defaultSettings } from './types';
export { defaultSettings };

export interface DocumentInput {
  uri: string;
  text: string;
  /** Editor version; documents with a version are cached until it changes. */
  version?: number;
  /** File-system path of the document, for the paths it references. */
  configPath: string;
}

export interface LanguageService {
  parse(input: DocumentInput): ConfigDocument;
  analyze(input: DocumentInput, settings: ServiceSettings, target?: TargetOptions): Analysis & { doc: ConfigDocument };
  /** Key/value hover; the precision keys add the guide (target GPU, what-if estimates). */
  hover(context: RuleContext, position: Position): Hover | null;
  complete(doc: ConfigDocument, position: Position, configPath: string): CompletionItem[];
  symbols(doc: ConfigDocument): DocumentSymbol[];
  links(doc: ConfigDocument, configPath: string): DocumentLink[];
  codeActions(context: RuleContext, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[];
  /** The memory estimate on the first line, and the model's size and estimate after its name. */
  codeLenses(context: RuleContext): CodeLens[];
  inlayHints(context: RuleContext): InlayHint[];
  /** Forgets a closed document. */
  forget(uri: string): void;
  /** The project config (`.llamafactory-lint.yaml` or `[tool.llamafactory-lint]`) nearest above a file, if any. */
  projectConfig(configPath: string): ProjectConfig | undefined;
  /**
   * Settings for one file: `explicit` (editor settings, CLI flags; only what the user set) over its
   * project config over the defaults. The result remembers the project config (`project`).
   */
  settingsFor<T extends Partial<ServiceSettings>>(configPath: string, explicit: T): T & ServiceSettings;
  /** Whether the project config of a file excludes it from checking. */
  isExcluded(configPath: string): boolean;
  /** The memory estimate of an analysed config; undefined when it is not a training config or the model is unknown. */
  estimate(context: RuleContext): EstimateReport | undefined;
  /**
   * The edits of every applicable fix, non-overlapping: only safe (meaning-preserving) fixes
   * unless `unsafe`, in which case the preferred fix of each diagnostic.
   */
  fixAll(context: RuleContext, diagnostics: Diagnostic[], options?: { unsafe?: boolean }): TextEdit[];
  /** A document's text with edits applied. */
  applyEdits(doc: ConfigDocument, edits: TextEdit[]): string;
  /** The GPU catalog. */
  gpus(): GpuSummary[];
  /** The catalog id a GPU name resolves to, and the closest ids when none does. */
  resolveGpu(name: string): { id?: string; suggestions: string[] };
  /** Changes the parse limits (the `llamafactory.limits.*` settings); cached parses are dropped when they change. */
  setLimits(limits: Partial<ParseLimits>): void;
}

type Analyzed = Analysis & { doc: ConfigDocument };

export function createLanguageService(host: ServiceHost, initialLimits: Partial<ParseLimits> = {}): LanguageService {
  let limits: ParseLimits = { ...defaultParseLimits, ...initialLimits };
  const cache = new Map<string, { version: number; text: string; doc: ConfigDocument }>();
  // The last analysis per document: hover, lenses and actions of one version reuse it.
  const analyses = new Map<string, { doc: ConfigDocument; settings: ServiceSettings; target?: TargetOptions; result: Analyzed }>();
  const parse = (input: DocumentInput): ConfigDocument => {
    const hit = cache.get(input.uri);
    if (hit && input.version !== undefined && hit.version === input.version && hit.text === input.text) return hit.doc;
    const doc = parseConfig(input.uri, input.text, limits);
    if (input.version !== undefined) cache.set(input.uri, { version: input.version, text: input.text, doc });
    return doc;
  };
  const projectConfigs = new Map<string, { text: string; config: ProjectConfig | undefined }>();
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
      const doc = parse(input);
      // The project config itself (an "other" YAML file): its mistakes, read from the editor's text.
      if (isProjectConfigFile(input.configPath)) {
        const analysed = analyze(host, { doc, configPath: input.configPath, settings, ...target });
        return { ...analysed, diagnostics: parseYamlProjectConfig(input.configPath, input.text).problems.map(withDocLink), doc };
      }
      const hit = analyses.get(input.uri);
      if (hit && hit.doc === doc && hit.settings === settings && sameTarget(hit.target, target)) return hit.result;
      // A `files` glob can make a document a config; features below read doc.kind.
      doc.kind = effectiveKind(doc, input.configPath, settings);
      const analysed = analyze(host, { doc, configPath: input.configPath, settings, ...target });
      const result = { ...analysed, diagnostics: analysed.diagnostics.map(withDocLink), doc };
      if (input.version !== undefined) analyses.set(input.uri, { doc, settings, target, result });
      return result;
    },
    hover: (ctx, p) => hover(ctx, p),
    complete: (doc, p, configPath) => complete(doc, p, configPath, host),
    symbols: (doc) => symbols(doc),
    links: (doc, configPath) => links(doc, configPath, host),
    codeActions: (ctx, range, diagnostics, only) => codeActions(ctx, range, diagnostics, only),
    codeLenses: (ctx) => codeLenses(ctx),
    inlayHints: (ctx) => inlayHints(ctx),
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
    estimate: (ctx) => estimateReport(ctx),
    fixAll: (ctx, diagnostics, options) => fixAll(ctx, options?.unsafe ? diagnostics : diagnostics.filter((d) => SAFE_FIX_CODES.has(String(d.code)))),
    applyEdits: (doc, edits) => applyEdits(doc, edits),
    gpus: () => gpuCatalog.map(summarizeGpu),
    resolveGpu(name) {
      const match = resolveGpu(name);
      return match ? { id: match.gpu.id, suggestions: [] } : { suggestions: suggestGpuIds(name) };
    },
    forget: (uri) => {
      cache.delete(uri);
      analyses.delete(uri);
    },
    setLimits(next) {
      const merged = { ...limits, ...next };
      if (merged.maxChars === limits.maxChars && merged.maxAliasExpansions === limits.maxAliasExpansions && merged.maxDepth === limits.maxDepth) return;
      limits = merged;
      cache.clear();
      analyses.clear();
    },
  };
}

/**
 * Codes whose preferred fix only corrects how something is written (a misspelt key, a boolean or
 * number in quotes), so applying it cannot change what the user meant.
 */
const SAFE_FIX_CODES = new Set(['unknown-key', 'string-boolean', 'string-number']);

/** The diagnostic with a link to its rule page (a copy: analyses are cached). */
function withDocLink(d: Diagnostic): Diagnostic {
  return d.code === undefined ? d : { ...d, codeDescription: { href: codeDocUrl(String(d.code)) } };
}

function sameTarget(a: TargetOptions | undefined, b: TargetOptions | undefined): boolean {
  return a?.gpuSource === b?.gpuSource && a?.detected?.name === b?.detected?.name && a?.detected?.count === b?.detected?.count;
}
