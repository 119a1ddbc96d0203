// Code actions: the fixes each diagnostic carries as data, "disable on this
// line / in this file" comments, and "fix all" combining every preferred fix.
import { CodeActionKind } from 'vscode-languageserver-types';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { LINE_BREAK, lineBreakOf, parseConfig } from '../document';
import type { ConfigDocument } from '../document';
import { applyEdits } from '../edits';
import { resolveFixes } from '../fixes';
import type { ResolvedFix } from '../fixes';
import { DIAGNOSTIC_SOURCE } from '../types';
import type { AnalysisContext } from '../context';
import { t } from '../l10n';

/** Fixes for one diagnostic produced by this service: the fix data it carries, as edits of this version. */
export function fixesFor(ctx: AnalysisContext, d: Diagnostic): ResolvedFix[] {
  return resolveFixes(ctx.doc, d);
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function disableActions(doc: ConfigDocument, d: Diagnostic): CodeAction[] {
  const code = String(d.code);
  const line = d.range.start.line;
  const lineText = doc.text.split(LINE_BREAK)[line] ?? '';
  // Spaces and tabs only: \s would also copy a byte-order mark into the middle of the file.
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const eol = lineBreakOf(doc.text);
  // A comment on the first line goes after a byte-order mark, which must stay first.
  const bom = doc.text.startsWith('\uFEFF') ? 1 : 0;
  const at = (l: number) => {
    const p = { line: l, character: l === 0 ? bom : 0 };
    return { start: p, end: p };
  };
  const comment = (title: string, l: number, text: string): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [doc.uri]: [{ range: at(l), newText: text }] } },
  });
  const fileLine = firstDirectiveFreeLine(doc);
  return [
    [comment(t('Disable {0} for this line', code), line, `${indent}# llamafactory-disable-next-line ${code}${eol}`), lineText] as const,
    [comment(t('Disable {0} in this file', code), fileLine, `# llamafactory-disable ${code}${eol}`), doc.text.split(LINE_BREAK)[fileLine] ?? ''] as const,
  ]
    .filter(([a, before]) => !risky(before) || keepsYamlReadable(doc, a.edit!.changes![doc.uri]))
    .map(([a]) => a);
}

/** A line a comment placed above could confuse the parser: a long one or one opening with a flow or special key. */
function risky(line: string): boolean {
  return line.length > 1000 || /^[ \t]*[[{?!&*"']/.test(line);
}

const syntaxErrors = (doc: ConfigDocument) => doc.problems.filter((p) => p.code === 'yaml-syntax').length;

/**
 * Whether the text still parses as well after `edits`. A comment line is harmless
 * almost everywhere, but the `yaml` package rejects one before an over-long flow key,
 * and an action must never break a file. Only risky lines pay for this re-parse.
 */
function keepsYamlReadable(doc: ConfigDocument, edits: TextEdit[]): boolean {
  return syntaxErrors(parseConfig(doc.uri, applyEdits(doc, edits))) <= syntaxErrors(doc);
}

/** Keeps a first-line `# llamafactory: v0` or `# yaml-language-server:` directive first. */
function firstDirectiveFreeLine(doc: ConfigDocument): number {
  const first = doc.text.split(LINE_BREAK, 1)[0];
  return /^\s*#\s*(llamafactory\s*:|yaml-language-server\s*:)/.test(first) ? 1 : 0;
}

/**
 * Our fix-all kind, under `source.fixAll` so that asking for that finds it too, and with our own name
 * so that `editor.codeActionsOnSave` can ask for this tool's fixes alone (as source.fixAll.eslint).
 */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.llamafactory`;

/**
 * Actions for the diagnostics in `context` that touch `range`.
 * `only` filters by kind as LSP clients ask (e.g. ["source.fixAll"]).
 */
export function codeActions(ctx: AnalysisContext, range: Range, diagnostics: Diagnostic[], only?: string[]): CodeAction[] {
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && overlaps(d.range, range));
  const out: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of ours) {
      for (const fix of fixesFor(ctx, d)) {
        out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.isPreferred, edit: { changes: { [ctx.doc.uri]: fix.edits } } });
      }
      out.push(...disableActions(ctx.doc, d));
    }
  }
  if (wants(FIX_ALL_KIND)) {
    // As `--fix` and ruff's fix-all: only safe fixes, unless the user asked for the others too.
    const all = fixAll(ctx, diagnostics, { unsafe: ctx.settings.unsafeFixes === true });
    if (all.length > 0) out.push({ title: t('Fix all LLaMA-Factory config problems'), kind: FIX_ALL_KIND, edit: { changes: { [ctx.doc.uri]: all } } });
  }
  return out;
}

/**
 * The preferred fix of every diagnostic (with `unsafe: false`, its safe fix instead, if it has one),
 * skipping fixes whose edits would overlap an earlier one.
 */
export function fixAll(ctx: AnalysisContext, diagnostics: Diagnostic[], options: { unsafe: boolean } = { unsafe: true }): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const fix = fixesFor(ctx, d).find((f) => (options.unsafe ? f.isPreferred : f.safe));
    if (!fix || fix.edits.some((e) => edits.some((x) => overlaps(x.range, e.range)))) continue;
    edits.push(...fix.edits);
  }
  return edits;
}
