// Severity of checks that depend on how sure we are of the GPU count.
import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticSeverity as Severity } from 'vscode-languageserver-types';
import type { TargetGpu } from '../../hardware/types';

/**
 * Checks that depend on the GPU count are errors when the user stated the
 * count, warnings when it was only detected (the run may use fewer GPUs).
 */
export function countSeverity(target: TargetGpu): DiagnosticSeverity {
  return target.source === 'detected' && target.countFrom !== 'launch' ? Severity.Warning : Severity.Error;
}
