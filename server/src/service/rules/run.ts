// The rule runner: the one place where findings become diagnostics. It picks
// the rules for the config's kind, command and LLaMA-Factory release, places
// each finding on the key (or value, or range) it names, links the other keys
// involved, and puts the fixes into the diagnostic's data, where
// features/actions.ts finds them. A rule that throws costs only its own findings.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import type { ConfigKind } from '../types';
import type { AnalysisContext } from '../context';
import { DIAGNOSTIC_SOURCE, makeDiagnostic } from '../types';
import type { Fix } from '../fixes';
import { commandOf, isV0 } from '../values';
import { t } from '../l10n';
import type { ResolvedRelease } from '../context/release/resolve';
import { inReleases, shown } from './helpers';
import type { Finding, Place, Rule } from './rule';

/** Whether `rule` checks configs of this kind. */
export function ruleApplies(rule: Rule, kind: ConfigKind): boolean {
  return rule.appliesTo.kinds.includes(kind);
}

/** Whether a rule limited to some commands checks this (v0) config. */
function commandApplies(rule: Rule, doc: ConfigDocument): boolean {
  const commands = rule.appliesTo.commands;
  return !commands || (isV0(doc) && commands.includes(commandOf(doc)));
}

/** Whether the user's release makes the check a rule mirrors. */
function releaseApplies(rule: Rule, release: ResolvedRelease | undefined): boolean {
  return !rule.appliesTo.releases || inReleases(release, rule.appliesTo.releases);
}

function isRange(at: Place): at is Range {
  return typeof at === 'object' && !Array.isArray(at) && 'start' in at;
}

/** The range a finding goes to and the key it names, or undefined when none of its keys is written. */
function place(doc: ConfigDocument, f: Finding): { range: Range; key?: string; keys: readonly string[] } | undefined {
  if (isRange(f.at)) return { range: f.at, keys: [] };
  const keys: readonly string[] = typeof f.at === 'string' ? [f.at] : f.at;
  const key = keys.find((k) => doc.byKey.has(k));
  if (key === undefined) return undefined;
  const entry = doc.byKey.get(key)!;
  const inline = entry.valueRange.start.line === entry.keyRange.start.line;
  return { range: f.onValue && inline ? entry.valueRange : entry.keyRange, key, keys };
}

function relatedInformation(doc: ConfigDocument, f: Finding, key: string | undefined, keys: readonly string[]): DiagnosticRelatedInformation[] {
  const out: DiagnosticRelatedInformation[] = [];
  for (const r of [...keys, ...(f.related ?? [])]) {
    const other = typeof r === 'string' ? r : r.key;
    const entry = doc.byKey.get(other);
    if (!entry || other === key) continue;
    out.push({ location: { uri: doc.uri, range: entry.keyRange }, message: typeof r === 'string' ? t('{0} is set here.', shown(doc, other)) : r.message });
  }
  return [...out, ...(f.elsewhere ?? [])];
}

/** The diagnostic for one finding, or undefined when the keys it names are not written. */
export function toDiagnostic(doc: ConfigDocument, f: Finding): Diagnostic | undefined {
  const where = place(doc, f);
  if (!where) return undefined;
  const fixes = (f.fixes ?? []).filter((x): x is Fix => typeof x === 'object' && x !== null);
  const data = { ...f.data, ...(fixes.length ? { fixes } : {}) };
  const d = makeDiagnostic(where.range, f.severity, f.code, f.message, Object.keys(data).length ? data : undefined);
  const related = relatedInformation(doc, f, where.key, where.keys);
  if (related.length) d.relatedInformation = related;
  return d;
}

function internalError(rule: Rule, e: unknown): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: 'internal-error',
    message: t('A check ({0}) failed internally: {1}', rule.codes.join(', '), String(e)),
  };
}

/** The diagnostics of `rules` for a config of this kind. */
export function runRules(rules: readonly Rule[], ctx: AnalysisContext, kind: ConfigKind): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    if (!ruleApplies(rule, kind) || !commandApplies(rule, ctx.doc) || !releaseApplies(rule, ctx.release)) continue;
    try {
      for (const f of rule.check(ctx)) {
        const d = toDiagnostic(ctx.doc, f);
        if (d) out.push(d);
      }
    } catch (e) {
      // A rule bug must not take the other diagnostics down with it.
      out.push(internalError(rule, e));
    }
  }
  return out;
}
