// Reading config values the way LLaMA-Factory does: absent keys take their
// argument default, and flags are tested with Python truthiness (OmegaConf
// keeps `bf16: "false"` a string, which Python treats as true).
import defaults from '../../facts/hardware-defaults.json';
import type { ConfigDocument } from '../../document';
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticSeverity as Severity } from 'vscode-languageserver-types';
import type { TargetGpu } from '../../hardware/types';

const DEFAULTS: Record<string, unknown> = defaults;

/** The value LLaMA-Factory receives for `key`, with the argument default when the key is absent. */
export function valueOf(doc: ConfigDocument, key: string): unknown {
  const entry = doc.byKey.get(key);
  return entry ? entry.value : DEFAULTS[key];
}

/** Python's `bool(value)`. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export function isSet(doc: ConfigDocument, key: string): boolean {
  return truthy(valueOf(doc, key));
}

/** A training run (the precision flags only matter there). */
export function isTraining(doc: ConfigDocument): boolean {
  return isSet(doc, 'do_train');
}

/**
 * Checks that depend on the GPU count are errors when the user stated the
 * count, warnings when it was only detected (the run may use fewer GPUs).
 */
export function countSeverity(target: TargetGpu): DiagnosticSeverity {
  return target.source === 'detected' ? Severity.Warning : Severity.Error;
}
