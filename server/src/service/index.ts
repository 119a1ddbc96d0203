// The language service's public face: the server, the CLI and the tests all
// go through `createLanguageService`. Parsing is cached per document version.
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, Hover, InlayHint, Position, Range } from 'vscode-languageserver-types';
import { analyze, effectiveKind } from './analyze';
import type { Analysis } from './analyze';
import { defaultParseLimits, parseConfig } from './document';
import type { ConfigDocument, ParseLimits } from './document';
import { codeActions } from './features/actions';
import { complete } from './features/completion';
import { hover } from './features/hover';
import { codeLenses, inlayHints } from './features/lenses';
import { links } from './features/links';
import { symbols } from './features/symbols';
import type { DetectedGpu } from './hardware/target';
import type { TargetGpu } from './hardware/types';
import type { RuleContext } from './rules/types';
import type { ServiceHost, ServiceSettings } from './types';
import { releaseResolver } from './context/release/resolve';
import type { ReleaseChoice, ResolvedRelease } from './context/release/resolve';

export type { Analysis, ConfigDocument, DetectedGpu, ParseLimits, ReleaseChoice, ResolvedRelease, RuleContext, ServiceHost, ServiceSettings, TargetGpu };
export { describeRelease } from './context/release/resolve';

export interface TargetOptions {
  detected?: DetectedGpu;
  gpuSource?: 'setting' | 'cli';
  /** The CLI's --lf-version / --lf-path. */
  releaseChoice?: ReleaseChoice;
}
export { defaultSettings } from './types';

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
  /** Completion for the release the document's last analysis used (detected afresh when it has none). */
  complete(doc: ConfigDocument, position: Position, configPath: string): CompletionItem[];
  /**
   * Checks a --lf-version / --lf-path value before any file is analysed; returns
   * what was looked for when it names no release or folder with LLaMA-Factory.
   */
  checkReleaseChoice(choice: ReleaseChoice, cwd: string): string | undefined;
  symbols(doc: ConfigDocument): DocumentSymbol[];
  links(doc: ConfigDocument, configPath: string): DocumentLink[];
  codeActions(context: RuleContext, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[];
  /** The memory estimate on the first line, and the model's size and estimate after its name. */
  codeLenses(context: RuleContext): CodeLens[];
  inlayHints(context: RuleContext): InlayHint[];
  /** Forgets a closed document. */
  forget(uri: string): void;
  /** Changes the parse limits (the `llamafactory.limits.*` settings); cached parses are dropped when they change. */
  setLimits(limits: Partial<ParseLimits>): void;
}

type Analyzed = Analysis & { doc: ConfigDocument };

export function createLanguageService(host: ServiceHost, initialLimits: Partial<ParseLimits> = {}): LanguageService {
  let limits: ParseLimits = { ...defaultParseLimits, ...initialLimits };
  const cache = new Map<string, { version: number; text: string; doc: ConfigDocument }>();
  // The last analysis per document: hover, lenses and actions of one version reuse it.
  const analyses = new Map<string, { doc: ConfigDocument; settings: ServiceSettings; target?: TargetOptions; result: Analyzed }>();
  // The release each document was last checked against, for completion (which gets no settings).
  const releases = new Map<string, ResolvedRelease>();
  const parse = (input: DocumentInput): ConfigDocument => {
    const hit = cache.get(input.uri);
    if (hit && input.version !== undefined && hit.version === input.version && hit.text === input.text) return hit.doc;
    const doc = parseConfig(input.uri, input.text, limits);
    if (input.version !== undefined) cache.set(input.uri, { version: input.version, text: input.text, doc });
    return doc;
  };
  return {
    parse,
    analyze(input, settings, target) {
      const doc = parse(input);
      const hit = analyses.get(input.uri);
      if (hit && hit.doc === doc && hit.settings === settings && sameTarget(hit.target, target)) return hit.result;
      // A `files` glob can make a document a config; features below read doc.kind.
      doc.kind = effectiveKind(doc, input.configPath, settings);
      const result = { ...analyze(host, { doc, configPath: input.configPath, settings, ...target }), doc };
      releases.set(input.uri, result.release);
      if (input.version !== undefined) analyses.set(input.uri, { doc, settings, target, result });
      return result;
    },
    hover: (ctx, p) => hover(ctx, p),
    complete: (doc, p, configPath) => {
      const release = releases.get(doc.uri) ?? releaseResolver(host).resolve(configPath, doc.text);
      return complete(doc, p, configPath, host, release);
    },
    checkReleaseChoice(choice, cwd) {
      const found = releaseResolver(host).explicit(choice, cwd);
      return 'problem' in found ? found.problem : undefined;
    },
    symbols: (doc) => symbols(doc),
    links: (doc, configPath) => links(doc, configPath, host),
    codeActions: (ctx, range, diagnostics, only) => codeActions(ctx, range, diagnostics, only),
    codeLenses: (ctx) => codeLenses(ctx),
    inlayHints: (ctx) => inlayHints(ctx),
    forget: (uri) => {
      cache.delete(uri);
      analyses.delete(uri);
      releases.delete(uri);
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

function sameTarget(a: TargetOptions | undefined, b: TargetOptions | undefined): boolean {
  return a?.gpuSource === b?.gpuSource && a?.detected?.name === b?.detected?.name && a?.detected?.count === b?.detected?.count
    && a?.releaseChoice?.value === b?.releaseChoice?.value && a?.releaseChoice?.via === b?.releaseChoice?.via;
}
