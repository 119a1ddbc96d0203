// Deprecated transformers keys (rules.md R99, and logging_dir from R86): 4.x
// warns and moves the value; 5.x no longer knows the 4.x-only keys at all.
import traits from '../../facts/arg-traits.json';
import { t } from '../../l10n';
import { defineRule, DiagnosticSeverity } from '../rule';

const DEPRECATED: Readonly<Record<string, { replacement: string | null; instead: string | null }>> = traits.deprecated;

export const deprecatedKeys = defineRule({
  codes: ['deprecated-key'],
  covers: ['R86', 'R99'],
  check: (ctx) => [
    ...Object.entries(DEPRECATED).map(([key, { replacement, instead }]) => {
      if (!ctx.doc.byKey.has(key)) return undefined;
      const use = instead ? ` Use \`${instead}\` instead.` : '';
      const canRename = replacement !== null && !ctx.doc.byKey.has(replacement);
      return { code: 'deprecated-key', severity: DiagnosticSeverity.Warning, at: key, message: t('`{0}` is deprecated in transformers 4.x and rejected as unknown by 5.x.{1}', key, use), related: replacement ? [{ key: replacement, message: t('the replacement is already set here') }] : [], fixes: canRename ? [{ title: t('Rename to {0}', replacement), ops: [{ rename: key, to: replacement }], preferred: true, safe: true }] : [] };
    }),
    { code: 'deprecated-key', severity: DiagnosticSeverity.Information, at: 'logging_dir', message: t('`logging_dir` is deprecated from transformers 5.0 (set the TENSORBOARD_LOGGING_DIR environment variable there); 4.x still reads it.') },
  ],
});

export const deprecatedRules = [deprecatedKeys];
