// Most launch checks are "these keys together are wrong": one declarative
// spec per check, turned into a Rule here, so each check reads as its
// condition, where it is reported and what fixes it.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, DiagnosticRelatedInformation, TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../../document';
import { insertKey, removeKey, setValue } from '../../edits';
import { closest } from '../../text/similar';
import { makeDiagnostic } from '../../types';
import type { Fix, Rule, RuleContext } from '../types';
import { commandOf, isV0, truthy } from '../../values';
import type { Command } from '../../values';
import { didYouMeanText, t } from '../../l10n';

export interface FixSpec {
  title: string | ((doc: ConfigDocument) => string);
  edits(doc: ConfigDocument): TextEdit[];
}

export interface CheckSpec {
  code: string;
  covers: readonly string[];
  severity: DiagnosticSeverity;
  /** Commands the check runs for (judged from the config's keys); default: train. */
  commands?: readonly Command[];
  /** Keys to report at, most specific first; the first one written in the YAML is used. */
  at: readonly string[] | ((ctx: RuleContext) => readonly string[]);
  /** Report on the value instead of the key (the value is what is wrong). */
  onValue?: boolean;
  /** Other keys taking part; those written get a related-information link. */
  related?: readonly string[];
  when(ctx: RuleContext): boolean;
  message: string | ((ctx: RuleContext) => string);
  fixes?: readonly FixSpec[];
}

/** The short `key: value` text of a written entry, for messages and links. */
export function shown(doc: ConfigDocument, key: string): string {
  const e = doc.byKey.get(key);
  if (!e) return `\`${key}\``;
  const text = doc.text.slice(doc.offsetAt(e.valueRange.start), doc.offsetAt(e.valueRange.end)).trim();
  return text && !text.includes('\n') && text.length <= 60 ? `\`${key}: ${text}\`` : `\`${key}\``;
}

export function relatedAt(doc: ConfigDocument, keys: readonly string[], skip?: string): DiagnosticRelatedInformation[] {
  const out: DiagnosticRelatedInformation[] = [];
  for (const k of keys) {
    const e = doc.byKey.get(k);
    if (!e || k === skip) continue;
    out.push({ location: { uri: doc.uri, range: e.keyRange }, message: t('{0} is set here.', shown(doc, k)) });
  }
  return out;
}

export function checkRule(spec: CheckSpec): Rule {
  const commands = spec.commands ?? ['train'];
  const applies = (ctx: RuleContext) => isV0(ctx.doc) && commands.includes(commandOf(ctx.doc)) && spec.when(ctx);
  return {
    codes: [spec.code],
    covers: spec.covers,
    check(ctx) {
      if (!applies(ctx)) return [];
      const keys = typeof spec.at === 'function' ? spec.at(ctx) : spec.at;
      const key = keys.find((k) => ctx.doc.byKey.has(k));
      if (key === undefined) return [];
      const entry = ctx.doc.byKey.get(key)!;
      const message = typeof spec.message === 'string' ? spec.message : spec.message(ctx);
      const d = makeDiagnostic(spec.onValue ? entry.valueRange : entry.keyRange, spec.severity, spec.code, message, { key });
      const related = relatedAt(ctx.doc, [...keys, ...(spec.related ?? [])], key);
      if (related.length) d.relatedInformation = related;
      return [d];
    },
    fixes(ctx, diagnostic: Diagnostic): Fix[] {
      if (diagnostic.code !== spec.code || !spec.fixes || !applies(ctx)) return [];
      return spec.fixes
        .map((f, i) => ({ title: typeof f.title === 'string' ? f.title : f.title(ctx.doc), edits: f.edits(ctx.doc), isPreferred: i === 0 }))
        .filter((f) => f.edits.length > 0);
    },
  };
}

/** The keys that are truthy as LLaMA-Factory sees them, for `at`. */
export function truthyKeys(...keys: string[]): (ctx: RuleContext) => string[] {
  return (ctx) => keys.filter((k) => truthy(ctx.doc, k));
}

/** The written keys, the one lower in the file first: a conflict is reported where it appears. */
export function laterFirst(...keys: string[]): (ctx: RuleContext) => string[] {
  const line = (doc: ConfigDocument, k: string) => doc.byKey.get(k)?.keyRange.start.line ?? -1;
  return (ctx) => [...keys].sort((a, b) => line(ctx.doc, b) - line(ctx.doc, a));
}

/** Several fixes applied as one. */
export function bothFix(title: FixSpec['title'], ...parts: FixSpec[]): FixSpec {
  return { title, edits: (doc) => parts.flatMap((p) => p.edits(doc)) };
}

/** Fix: replace the value of `key` with the closest of `candidates` (a did-you-mean). */
export function closestFix(key: string, candidates: () => readonly string[]): FixSpec {
  const guess = (doc: ConfigDocument) => {
    const v = doc.byKey.get(key)?.value;
    return typeof v === 'string' ? closest(v, candidates()) : undefined;
  };
  return {
    title: (doc) => t('Change to `{0}`', guess(doc) ?? ''),
    edits: (doc) => {
      const g = guess(doc);
      const e = g === undefined ? undefined : setValue(doc, key, g);
      return e ? [e] : [];
    },
  };
}

/** " Did you mean `x`?" or nothing. */
export function didYouMean(word: unknown, candidates: readonly string[]): string {
  return didYouMeanText(typeof word === 'string' ? closest(word, candidates) : undefined);
}

/** Fix: delete `key`. */
export function removeFix(key: string, title?: FixSpec['title']): FixSpec {
  return { title: title ?? (() => t('Remove `{0}`', key)), edits: (doc) => [removeKey(doc, key)].filter((e): e is TextEdit => e !== undefined) };
}

/** Fix: set `key` to `value`, adding the key (after `after` when written) if missing. */
export function setFix(key: string, value: string | number | boolean | null, after?: string, title?: FixSpec['title']): FixSpec {
  return {
    title: title ?? (() => t('Set `{0}: {1}`', key, String(value))),
    edits: (doc) => [doc.byKey.has(key) ? setValue(doc, key, value)! : insertKey(doc, key, value, after && doc.byKey.has(after) ? after : undefined)],
  };
}

export const ERROR = DiagnosticSeverity.Error;
export const WARNING = DiagnosticSeverity.Warning;
export const INFO = DiagnosticSeverity.Information;
