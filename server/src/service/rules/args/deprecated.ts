// Deprecated transformers keys (rules.md R99, and logging_dir from R86): 4.x
// warns and moves the value; 5.x no longer knows the 4.x-only keys at all. The
// list and the sentence that describes each come from schema/deprecations.ts,
// which hover shows too.
import { deprecatedKeys, deprecationNote, deprecationOf } from '../../schema/deprecations';
import { t } from '../../l10n';
import { defineRule, INFO, WARNING } from '../rule';
import type { Finding } from '../rule';
import type { ConfigDocument } from '../../document';

function deprecatedKey(doc: ConfigDocument, key: string): Finding | undefined {
  const dep = deprecationOf(key);
  // Keys transformers 5 dropped without a 4.x deprecation are left to the version checks.
  if (dep?.kind === 'v4-only' && dep.warned) {
    const instead = dep.instead ? ` ${t('Use `{0}` instead.', dep.instead)}` : '';
    const replacement = dep.rename ? dep.instead : null;
    const canRename = replacement !== null && !doc.byKey.has(replacement);
    return {
      code: 'deprecated-key',
      severity: WARNING,
      at: key,
      message: `${deprecationNote(key)}${instead}`,
      related: replacement ? [{ key: replacement, message: t('the replacement is already set here') }] : [],
      // Renaming an alias to the name it stands for keeps the value and its meaning.
      fixes: canRename ? [{ title: t('Rename to {0}', replacement), ops: [{ rename: key, to: replacement }], preferred: true, safe: true }] : [],
    };
  }
  if (dep?.kind === 'v5-deprecated' && dep.env) {
    return {
      code: 'deprecated-key',
      severity: INFO,
      at: key,
      message: `${deprecationNote(key)} ${t('Set the {0} environment variable there; 4.x still reads `{1}`.', dep.env, key)}`,
    };
  }
  return undefined;
}

export const deprecatedKeysRule = defineRule({
  codes: ['deprecated-key'],
  covers: ['R86', 'R99'],
  check: (ctx) => deprecatedKeys().filter((key) => ctx.doc.byKey.has(key)).map((key) => deprecatedKey(ctx.doc, key)),
});

export const deprecatedRules = [deprecatedKeysRule];
