// How the YAML file itself is loaded (rules.md section 1). OmegaConf turns the
// file into plain values without resolving `${...}` interpolations, so they
// reach LLaMA-Factory as literal text.
import { defineRule, WARNING } from '../rule';
import { t } from '../../l10n';

const INTERPOLATION = /\$\{[^}]*\}/;

function containsInterpolation(value: unknown): boolean {
  if (typeof value === 'string') return INTERPOLATION.test(value);
  if (Array.isArray(value)) return value.some(containsInterpolation);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsInterpolation);
  return false;
}

export const interpolationLiteral = defineRule({
  codes: ['interpolation-not-resolved'],
  covers: ['R1'],
  check: (ctx) =>
    ctx.doc.entries.filter((entry) => containsInterpolation(entry.value)).map((entry) => ({
      code: 'interpolation-not-resolved',
      severity: WARNING,
      at: entry.valueRange,
      message: t('LLaMA-Factory loads the YAML without resolving `${...}` references, so this value is used literally, dollar sign and braces included. Write the final value instead.'),
    })),
});

export const loadRules = [interpolationLiteral];
