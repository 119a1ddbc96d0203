// The one shape of a rule. A rule says which configs it applies to and, given
// the analysis context, returns findings: plain data saying what is wrong,
// where, and which key operations fix it. The runner (run.ts) turns findings
// into diagnostics: it gates by kind and command, places the range, links the
// related keys and attaches the fixes; features/actions.ts builds every
// quick-fix from that data. See README.md in this folder.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import type { Fix } from '../fixes';
import type { ConfigKind } from '../types';
import type { AnalysisContext } from '../context';
import type { Command } from '../values';

export { DiagnosticSeverity };
export const ERROR = DiagnosticSeverity.Error;
export const WARNING = DiagnosticSeverity.Warning;
export const INFO = DiagnosticSeverity.Information;

/**
 * Where a finding goes: a key, the first written of several keys (most
 * specific first), or an exact range (a list item, a nested key). A finding
 * whose keys are not written in the YAML is dropped.
 */
export type Place = string | readonly string[] | Range;

/** Another key taking part; a bare key gets the message "`key: value` is set here." */
export type Related = string | { key: string; message: string };

export interface Finding {
  /** One of the rule's codes. */
  code: string;
  severity: DiagnosticSeverity;
  at: Place;
  /** Put the squiggle on the value, when it is written on the key's line (a block value is flagged at its key). */
  onValue?: boolean;
  message: string;
  /** Other keys involved, linked when written. Other keys of `at` are linked too. */
  related?: readonly Related[];
  /** Offered fixes; undefined entries (a did-you-mean without a close match) are dropped. */
  fixes?: readonly Maybe<Fix>[];
  /** Related places in other files (a data file's line, the dataset_info.json entry), listed after the keys. */
  elsewhere?: readonly DiagnosticRelatedInformation[];
  /** Extra payload for the diagnostic's `data` (kept small: it travels to the editor). */
  data?: Record<string, unknown>;
}

/**
 * The LLaMA-Factory releases whose own check a rule mirrors: from `since` (the first
 * release with the check) through `until` (the last one), as the bundled table names
 * them ("0.9.3", "main"); an open end is left out. The rule's comment cites the check.
 */
export interface ReleaseRange {
  since?: string;
  until?: string;
}

export interface AppliesTo {
  /** Config formats the rule checks. */
  kinds: readonly ConfigKind[];
  /** Commands it checks (judged from the config's keys); all when absent. */
  commands?: readonly Command[];
  /** The releases that make the check; every release when absent. */
  releases?: ReleaseRange;
}

export interface Rule {
  /** Stable codes this rule emits: a public contract (severity settings, disable comments). */
  readonly codes: readonly string[];
  /** The rows of vendor/facts/rules.md this rule implements (e.g. ["R140"]), for the coverage table. */
  readonly covers: readonly string[];
  readonly appliesTo: AppliesTo;
  /** Findings for a config the rule applies to (the runner has checked kind and command). */
  check(ctx: AnalysisContext): Finding[];
}

/** What a check may return: one finding, several, or nothing (false/undefined are dropped). */
export type Maybe<T> = T | undefined | false;
export type Findings = Maybe<Finding> | readonly Maybe<Finding>[];

export interface RuleSpec {
  codes: readonly string[];
  covers?: readonly string[];
  /** Kinds default to v0 configs; commands to all. */
  appliesTo?: Partial<AppliesTo>;
  check(ctx: AnalysisContext): Findings;
}

const defined = new WeakSet<Rule>();

/** The only way to make a rule. */
export function defineRule(spec: RuleSpec): Rule {
  const rule: Rule = {
    codes: spec.codes,
    covers: spec.covers ?? [],
    appliesTo: {
      kinds: spec.appliesTo?.kinds ?? ['llamafactory-v0'],
      ...(spec.appliesTo?.commands ? { commands: spec.appliesTo.commands } : {}),
      ...(spec.appliesTo?.releases ? { releases: spec.appliesTo.releases } : {}),
    },
    check(ctx) {
      const found = spec.check(ctx);
      const list = Array.isArray(found) ? found : [found];
      return list.filter((f): f is Finding => typeof f === 'object' && f !== null);
    },
  };
  defined.add(rule);
  return rule;
}

/** Whether `rule` was made by defineRule (a test holds every registered rule to this). */
export function isDefinedRule(rule: Rule): boolean {
  return defined.has(rule);
}
