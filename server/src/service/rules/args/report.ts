// How the argument rules report: a diagnostic sits on a key the YAML writes,
// points at the other keys of a conflict, and carries its fixes as plain data
// (key operations) that `fixes()` turns into comment-preserving edits.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { fixSpecEdits } from '../../edits';
import type { FixSpec, KeyOp } from '../../edits';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';

export { DiagnosticSeverity };

export type ScalarValue = string | number | boolean | null;

export type { FixSpec, KeyOp };


export interface ReportOptions {
  /** Other keys involved, shown as related locations (absent keys are skipped). */
  related?: { key: string; message: string }[];
  fixes?: FixSpec[];
  /** Put the squiggle on the value instead of the key. */
  onValue?: boolean;
}

/** A diagnostic on `key`, or undefined when the YAML does not write that key. */
export function report(
  ctx: RuleContext,
  key: string,
  severity: DiagnosticSeverity,
  code: string,
  message: string,
  options: ReportOptions = {},
): Diagnostic | undefined {
  const entry = ctx.doc.byKey.get(key);
  if (!entry) return undefined;
  // A block value (list or mapping on the following lines) is flagged at its key.
  const range = options.onValue && entry.valueRange.start.line === entry.keyRange.start.line ? entry.valueRange : entry.keyRange;
  const d = makeDiagnostic(range, severity, code, message, options.fixes?.length ? { fixes: options.fixes } : undefined);
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of options.related ?? []) {
    const other = ctx.doc.byKey.get(r.key);
    if (other && r.key !== key) related.push({ location: { uri: ctx.doc.uri, range: other.keyRange }, message: r.message });
  }
  if (related.length) d.relatedInformation = related;
  return d;
}

/** The first key of `keys` the YAML writes (where a diagnostic about them goes). */
export function firstWritten(ctx: RuleContext, keys: readonly string[]): string | undefined {
  return keys.find((k) => ctx.doc.byKey.has(k));
}

function isFixSpec(x: unknown): x is FixSpec {
  const f = x as FixSpec;
  return typeof f === 'object' && f !== null && typeof f.title === 'string' && Array.isArray(f.ops);
}

/** Turns the fix data a diagnostic carries into edits against the current document. */
export function fixesFromData(ctx: RuleContext, diagnostic: Diagnostic): Fix[] {
  const specs = (diagnostic.data as { fixes?: unknown } | undefined)?.fixes;
  if (!Array.isArray(specs)) return [];
  const out: Fix[] = [];
  for (const spec of specs.filter(isFixSpec)) {
    const edits = fixSpecEdits(ctx.doc, spec);
    if (!edits) continue;
    out.push({ title: spec.title, edits, ...(spec.preferred ? { isPreferred: true } : {}), ...(spec.safe !== undefined ? { safe: spec.safe } : {}) });
  }
  return out;
}

/** A rule whose fixes travel in its diagnostics' data. */
export function defineRule(codes: readonly string[], covers: readonly string[], check: (ctx: RuleContext) => (Diagnostic | undefined)[]): Rule {
  return {
    codes,
    covers,
    check: (ctx) => check(ctx).filter((d): d is Diagnostic => d !== undefined),
    fixes: (ctx, d) => (codes.includes(String(d.code)) ? fixesFromData(ctx, d) : []),
  };
}

/** `key: value` in YAML text, for messages. */
export function show(key: string, value: unknown): string {
  return `\`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}
