// The language service's public face: the server, the CLI and the tests all
// go through `createLanguageService`. Parsing is cached per document version.
import type { CodeAction, CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, Hover, Position, Range } from 'vscode-languageserver-types';
import { analyze, effectiveKind } from './analyze';
import type { Analysis } from './analyze';
import { defaultParseLimits, parseConfig } from './document';
import type { ConfigDocument, ParseLimits } from './document';
import { codeActions } from './features/actions';
import { complete } from './features/completion';
import { hover } from './features/hover';
import { links } from './features/links';
import { symbols } from './features/symbols';
import type { DetectedGpu } from './hardware/target';
import type { TargetGpu } from './hardware/types';
import type { RuleContext } from './rules/types';
import type { ServiceHost, ServiceSettings } from './types';

export type { Analysis, ConfigDocument, DetectedGpu, ParseLimits, RuleContext, ServiceHost, ServiceSettings, TargetGpu };

export interface TargetOptions {
  detected?: DetectedGpu;
  gpuSource?: 'setting' | 'cli';
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
  hover(doc: ConfigDocument, position: Position): Hover | null;
  complete(doc: ConfigDocument, position: Position, configPath: string): CompletionItem[];
  symbols(doc: ConfigDocument): DocumentSymbol[];
  links(doc: ConfigDocument, configPath: string): DocumentLink[];
  codeActions(context: RuleContext, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[];
  /** Forgets a closed document. */
  forget(uri: string): void;
  /** Changes the parse limits (the `llamafactory.limits.*` settings); cached parses are dropped when they change. */
  setLimits(limits: Partial<ParseLimits>): void;
}

export function createLanguageService(host: ServiceHost, initialLimits: Partial<ParseLimits> = {}): LanguageService {
  let limits: ParseLimits = { ...defaultParseLimits, ...initialLimits };
  const cache = new Map<string, { version: number; text: string; doc: ConfigDocument }>();
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
      // A `files` glob can make a document a config; features below read doc.kind.
      doc.kind = effectiveKind(doc, input.configPath, settings);
      return { ...analyze(host, { doc, configPath: input.configPath, settings, ...target }), doc };
    },
    hover: (doc, p) => hover(doc, p),
    complete: (doc, p, configPath) => complete(doc, p, configPath, host),
    symbols: (doc) => symbols(doc),
    links: (doc, configPath) => links(doc, configPath, host),
    codeActions: (ctx, range, diagnostics, only) => codeActions(ctx, range, diagnostics, only),
    forget: (uri) => void cache.delete(uri),
    setLimits(next) {
      const merged = { ...limits, ...next };
      if (merged.maxChars === limits.maxChars && merged.maxAliasExpansions === limits.maxAliasExpansions && merged.maxDepth === limits.maxDepth) return;
      limits = merged;
      cache.clear();
    },
  };
}
