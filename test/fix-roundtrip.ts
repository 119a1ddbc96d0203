// The "edits never lose data" property, shared by the round-trip test and the
// long fuzz run: every quick-fix keeps comments, blank lines and key order,
// is idempotent, and its diagnostic is gone after re-validation.
import { Lexer } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { pathToFileURL } from 'node:url';
import { createLanguageService, defaultSettings } from '../server/src/service';
import type { ServiceHost } from '../server/src/service';
import { LINE_BREAK } from '../server/src/service/document';
import { applyChecked } from './fuzz-support';
import { memoryHost } from './helpers';

/** Where the text is checked: a service over some host, and the config's path on it. */
export interface Place {
  service: ReturnType<typeof createLanguageService>;
  configPath: string;
  uri: string;
}

/** A place for a config file on `host` (its folder's files are what the rules read). */
export function placeFor(host: ServiceHost, configPath: string): Place {
  return { service: createLanguageService(host), configPath, uri: pathToFileURL(configPath).href };
}

const inMemory = placeFor(memoryHost(), '/work/project/config.yaml');

function analyse(text: string, gpu: string, at: Place) {
  return at.service.analyze({ uri: at.uri, text, configPath: at.configPath }, { ...defaultSettings, gpu });
}

function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => t.startsWith('#')).map((t) => t.trimEnd());
}

const blankLines = (text: string) => text.split(LINE_BREAK).filter((l) => l.trim() === '').length;

/** Whole lines removed by the edits (how removeEntry deletes an entry). */
function removedLines(text: string, edits: TextEdit[]): string[] {
  const lines = text.split(LINE_BREAK);
  return edits
    .filter((e) => e.newText === '' && e.range.start.character === 0 && e.range.end.character === 0)
    .flatMap((e) => lines.slice(e.range.start.line, e.range.end.line));
}

/** True when `all` holds every item of `wanted` (as many times). */
function containsAll(all: string[], wanted: string[]): boolean {
  const left = new Map<string, number>();
  for (const a of all) left.set(a, (left.get(a) ?? 0) + 1);
  for (const w of wanted) {
    const n = left.get(w) ?? 0;
    if (n === 0) return false;
    left.set(w, n - 1);
  }
  return true;
}

function minus(all: string[], gone: string[]): string[] {
  const out = [...all];
  for (const g of gone) {
    const i = out.indexOf(g);
    if (i >= 0) out.splice(i, 1);
  }
  return out;
}

function isSubsequence(sub: string[], seq: string[]): boolean {
  let i = 0;
  for (const s of seq) if (i < sub.length && sub[i] === s) i++;
  return i === sub.length;
}

/** Quick-fixes offered for one diagnostic (the fixes and the disable comments). */
function quickFixes(at: Place, a: ReturnType<typeof analyse>, d: Diagnostic): CodeAction[] {
  return at.service.codeActions(a.context, d.range, a.diagnostics, ['quickfix']).filter((x) => x.diagnostics?.includes(d));
}

/** Where line `line` of the original lands once `edits` are applied. */
function shiftedLine(line: number, edits: TextEdit[]): number {
  let shift = 0;
  for (const e of edits) {
    if (e.range.end.line > line || (e.range.end.line === line && e.range.end.character > 0)) continue;
    shift += e.newText.split(LINE_BREAK).length - 1 - (e.range.end.line - e.range.start.line);
  }
  return line + shift;
}

function hasSyntaxErrors(a: ReturnType<typeof analyse>): boolean {
  return a.doc.problems.some((p) => p.severity === 1);
}

/** Checks every quick-fix of every diagnostic of `text` (checked at `at`); returns one line per violation. */
export function fixViolations(text: string, gpu: string, at: Place = inMemory): string[] {
  const out: string[] = [];
  const uri = at.uri;
  const a = analyse(text, gpu, at);
  // Comments, blank lines and keys are only well defined when the YAML parses.
  const wellFormed = !hasSyntaxErrors(a);
  const keysBefore = a.doc.entries.map((e) => e.key);
  const keyRanges = new Set(a.doc.entries.map((e) => JSON.stringify(e.keyRange)));
  for (const d of a.diagnostics) {
    for (const action of quickFixes(at, a, d)) {
      const what = `${String(d.code)} "${action.title}" (gpu ${gpu || 'none'})`;
      const edits = action.edit?.changes?.[uri] ?? [];
      let result: string;
      try {
        result = applyChecked(text, edits, what);
      } catch (e) {
        out.push(String(e));
        continue;
      }
      const b = analyse(result, gpu, at);
      if (wellFormed) {
        const removed = removedLines(text, edits);
        if (hasSyntaxErrors(b)) out.push(`${what}: broke the YAML`);
        if (!containsAll(comments(result), minus(comments(text), comments(removed.join('\n'))))) out.push(`${what}: lost a comment`);
        if (blankLines(result) < blankLines(text) - removed.filter((l) => l.trim() === '').length) out.push(`${what}: lost a blank line`);
        const keysAfter = b.doc.entries.map((e) => e.key);
        if (!isSubsequence(keysAfter.filter((k) => keysBefore.includes(k)), keysBefore)) out.push(`${what}: changed the key order`);
        // Only removed entries and renamed keys may disappear.
        const lost = minus(keysBefore, keysAfter).length;
        const allowed = edits.filter((e) => keyRanges.has(JSON.stringify(e.range))).length + edits.filter((e) => e.newText === '').length;
        if (lost > allowed) out.push(`${what}: lost ${lost - allowed} key(s)`);
      }
      // The same problem where it was (its line moved by the edits) is gone; if it is still offered, the same fix changes nothing.
      const line = shiftedLine(d.range.start.line, edits);
      const same = b.diagnostics.filter((x) => x.code === d.code && x.message === d.message && x.range.start.line === line);
      if (same.length > 0) out.push(`${what}: the diagnostic is still there after the fix`);
      for (const d2 of same) {
        for (const again of quickFixes(at, b, d2).filter((x) => x.title === action.title)) {
          const twice = applyChecked(result, again.edit?.changes?.[uri] ?? [], `${what} (again)`);
          if (twice !== result) out.push(`${what}: not idempotent`);
        }
      }
    }
  }
  return out;
}
