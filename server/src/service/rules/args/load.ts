// How the YAML file itself is loaded (rules.md section 1). OmegaConf turns the
// file into plain values without resolving `${...}` interpolations, so they
// reach LLaMA-Factory as literal text.
import type { Diagnostic } from 'vscode-languageserver-types';
import { makeDiagnostic } from '../../types';
import type { Rule } from '../types';
import { DiagnosticSeverity } from './report';
import { t } from '../../l10n';

const INTERPOLATION = /\$\{[^}]*\}/;

function containsInterpolation(value: unknown): boolean {
  if (typeof value === 'string') return INTERPOLATION.test(value);
  if (Array.isArray(value)) return value.some(containsInterpolation);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsInterpolation);
  return false;
}

export const interpolationLiteral: Rule = {
  codes: ['interpolation-not-resolved'],
  covers: ['R1'],
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const entry of ctx.doc.entries) {
      if (!containsInterpolation(entry.value)) continue;
      out.push(makeDiagnostic(entry.valueRange, DiagnosticSeverity.Warning, 'interpolation-not-resolved',
        t('LLaMA-Factory loads the YAML without resolving `${...}` references, so this value is used literally, dollar sign and braces included. Write the final value instead.')));
    }
    return out;
  },
};

export const loadRules = [interpolationLiteral];
