// A config recognised by the weight of its LLaMA-Factory keys may still lack
// the one key every command needs: BaseModelArguments.__post_init__ raises
// "Please provide `model_name_or_path`" before anything else happens.
import { foreignKey } from '../../schema/foreign';
import { keySchema } from '../../schema/schema';
import { closest } from '../../text/similar';
import { defineRule, ERROR } from '../rule';
import { t } from '../../l10n';

const MODEL = 'model_name_or_path';

export const modelKeyMissing = defineRule({
  codes: ['model-key-missing'],
  check: (ctx) => {
    const doc = ctx.doc;
    if (doc.byKey.has(MODEL) || doc.entries.length === 0) return undefined;
    // A misspelling of the key, or another tool's name for it, gets its own diagnostic with the rename.
    const renamed = doc.entries.some((e) => (!keySchema(e.key) && closest(e.key, [MODEL]) === MODEL) || foreignKey(e.key)?.to === MODEL);
    return !renamed && {
      code: 'model-key-missing',
      severity: ERROR,
      at: doc.entries[0].key,
      message: t('This config has no `{0}`, and LLaMA-Factory stops at once without a base model. Add `{0}:` with a hub id or a local model folder.', MODEL),
    };
  },
});
