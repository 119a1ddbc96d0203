// The contract every rule implements. A rule reads the parsed config (and,
// through the host, referenced files) and returns diagnostics; a rule with a
// clear remedy also returns fixes for its own diagnostics, looked up by code.
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { ResolvedRelease } from '../context/release/resolve';
import type { ConfigDocument } from '../document';
import type { TargetGpu } from '../hardware/types';
import type { ConfigKind, ServiceHost, ServiceSettings } from '../types';

export interface RuleContext {
  doc: ConfigDocument;
  /** File-system path of the config (for resolving the paths it references). */
  configPath: string;
  host: ServiceHost;
  settings: ServiceSettings;
  /** The GPU the user targets; undefined when none is known (hardware rules stay silent). */
  target: TargetGpu | undefined;
  /** The LLaMA-Factory release the config is checked against; undefined means main's facts. */
  release?: ResolvedRelease;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix VS Code applies on "auto fix" / shows first. */
  isPreferred?: boolean;
}

export interface Rule {
  /** Stable codes this rule emits (used for severity settings and disable comments). */
  codes: readonly string[];
  /** The rows of vendor/facts/rules.md this rule implements (e.g. ["R140"]), for the coverage table. */
  covers: readonly string[];
  /** The config formats the rule checks; v0 only when absent. */
  kinds?: readonly ConfigKind[];
  check(ctx: RuleContext): Diagnostic[];
  /** Fixes for one of this rule's diagnostics. */
  fixes?(ctx: RuleContext, diagnostic: Diagnostic): Fix[];
}
