// Test helpers: an in-memory host (every file absent unless given), a real
// file-system host, caret markers for positions, and a one-call analysis.
import * as path from 'node:path';
import type { Position } from 'vscode-languageserver-types';
import { createNodeHost } from '../server/src/nodeHost';
import { createLanguageService, defaultSettings } from '../server/src/service';
import type { ServiceHost, ServiceSettings } from '../server/src/service';
import { repoRoot } from './vendored';

export { corpusDir, repoRoot } from './vendored';
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

/** A host over a map of absolute paths to contents; folders are inferred from the paths. */
export function memoryHost(files: Record<string, string> = {}, roots: string[] = []): ServiceHost {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = path.dirname(f); d !== path.dirname(d); d = path.dirname(d)) dirs.add(d);
  return {
    readFile: (p) => files[path.resolve(p)],
    isDirectory: (p) => dirs.has(path.resolve(p)),
    // Files and folders directly inside, as readdir lists them.
    listDir: (p) => [...Object.keys(files), ...dirs].filter((f) => path.dirname(f) === path.resolve(p) && f !== path.resolve(p)).map((f) => path.basename(f)),
    searchRoots: () => roots,
    env: () => undefined,
    homeDir: () => '/nonexistent-home',
  };
}

/**
 * A host over the real file system with a fixed environment and no home
 * folder, so a developer's Hugging Face cache or HF_HOME cannot change results.
 */
export function fsHost(roots: string[] = [], env: Record<string, string> = {}): ServiceHost {
  return { ...createNodeHost(() => roots), env: (name) => env[name], homeDir: () => '/nonexistent-home' };
}

export const CARET = '‸';

/** Removes the caret marker and returns where it was. */
export function caret(textWithCaret: string): { text: string; position: Position } {
  const at = textWithCaret.indexOf(CARET);
  if (at < 0) throw new Error('no caret marker in fixture');
  const before = textWithCaret.slice(0, at);
  const lines = before.split('\n');
  return { text: before + textWithCaret.slice(at + CARET.length), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/**
 * Settings that pin LLaMA-Factory main: the facts most fixtures were written
 * against (without a version the newest release is used).
 */
export const mainSettings: ServiceSettings = { ...defaultSettings, version: 'main' };

export function analyzeText(text: string, opts: { host?: ServiceHost; configPath?: string; settings?: Partial<ServiceSettings> } = {}) {
  const host = opts.host ?? memoryHost();
  const service = createLanguageService(host);
  const configPath = opts.configPath ?? '/work/project/config.yaml';
  const result = service.analyze({ uri: `file://${configPath}`, text, configPath }, { ...mainSettings, ...opts.settings });
  return { service, ...result };
}

/** Diagnostics as compact `line:code` strings (1-based lines) for readable assertions. */
export function codesByLine(diags: { range: { start: Position }; code?: string | number }[]): string[] {
  return diags.map((d) => `${d.range.start.line + 1}:${String(d.code)}`);
}
