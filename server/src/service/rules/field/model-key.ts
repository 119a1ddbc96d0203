// A config recognised by the weight of its LLaMA-Factory keys may still lack
// the one key every command needs: BaseModelArguments.__post_init__ raises
// "Please provide `model_name_or_path`" before anything else happens.
import { foreignKey } from '../../schema/foreign';
import { keySchema } from '../../schema/schema';
import { closest } from '../../text/similar';
import { defineRule, DiagnosticSeverity, report } from '../args/report';
import { t } from '../../l10n';

const MODEL = 'model_name_or_path';

export const modelKeyMissing = defineRule(['model-key-missing'], [], (ctx) => {
  const doc = ctx.doc;
  if (doc.byKey.has(MODEL) || doc.entries.length === 0) return [];
  // A misspelling of the key, or another tool's name for it, gets its own diagnostic with the rename.
  const renamed = doc.entries.some((e) => (!keySchema(e.key) && closest(e.key, [MODEL]) === MODEL) || foreignKey(e.key)?.to === MODEL);
  if (renamed) return [];
  return [
    report(ctx, doc.entries[0].key, DiagnosticSeverity.Error, 'model-key-missing',
      t('This config has no `{0}`, and LLaMA-Factory stops at once without a base model. Add `{0}:` with a hub id or a local model folder.', MODEL)),
  ];
});
