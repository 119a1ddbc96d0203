// The chat template: unset (the tokenizer's own is guessed), unknown,
// incompatible with train_on_prompt, or a reasoning template.
import { argValue, commandOf, stageOf, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING, INFO } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, closestFix } from '../quick-fixes';
import { didYouMean, inReleases } from '../helpers';
import type { AnalysisContext } from '../../context';
import { templateHint } from '../../context/release/key-history';

const ALL = ['train', 'chat', 'export', 'eval'] as const;
const TEMPLATES = lists.templates.map((t) => t.name);
/** The templates of the user's release (data/template.py's register_template calls), else main's. */
const templatesOf = (ctx: AnalysisContext): readonly string[] => ctx.release?.facts.templates ?? TEMPLATES;
const byName = new Map(lists.templates.map((t) => [t.name, t]));
const template = (doc: Parameters<typeof argValue>[0]) => {
  const v = argValue(doc, 'template');
  return typeof v === 'string' ? byName.get(v) : undefined;
};

/** Up to 0.9.1 get_train_args (unless stage pt), get_infer_args and get_eval_args stop without a template (hparams/parser.py); 0.9.2 falls back to the tokenizer's. */
const templateRequired = (ctx: AnalysisContext): boolean =>
  inReleases(ctx.release, { until: '0.9.1' }) && !(commandOf(ctx.doc) === 'train' && stageOf(ctx.doc) === 'pt');

export const templateRules: Rule[] = [
  defineRule({
    codes: ['template-missing'],
    covers: ['R217'],
    appliesTo: { commands: ALL },
    check: (ctx) => !ctx.doc.byKey.has('template') && ctx.doc.byKey.has('model_name_or_path') && (templateRequired(ctx) ? {
      code: 'template-missing',
      severity: ERROR,
      at: ['model_name_or_path'],
      message: t('No `template` is set: LLaMA-Factory {0} stops ("Please specify which `template` to use."). Set the template that matches the model.', ctx.release?.facts.name ?? ''),
    } : {
      code: 'template-missing',
      severity: WARNING,
      at: ['model_name_or_path'],
      message: t('No `template` is set: LLaMA-Factory falls back to the chat template stored with the tokenizer, or to the bare `empty` template when there is none. Set the template that matches the model.'),
    }),
  }),
  defineRule({
    codes: ['template-unknown'],
    covers: ['R218'],
    appliesTo: { commands: ALL },
    check(ctx) {
      const v = argValue(ctx.doc, 'template');
      const names = templatesOf(ctx);
      if (v === null || v === undefined || names.includes(String(v))) return undefined;
      const drift = ctx.release ? templateHint(String(v), ctx.release) : undefined;
      return {
        code: 'template-unknown',
        severity: ERROR,
        at: ['template'],
        onValue: true,
        message: (drift ?? t('`{0}` is not a LLaMA-Factory template.', String(v))) + didYouMean(v, names),
        fixes: [preferred(closestFix(ctx, 'template', names))],
      };
    },
  }),
  defineRule({
    codes: ['template-train-on-prompt'],
    covers: ['R219'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'train_on_prompt') && template(ctx.doc)?.efficientEos === true && {
      code: 'template-train-on-prompt',
      severity: ERROR,
      at: ['train_on_prompt'],
      related: ['template'],
      message: t('Template `{0}` puts the EOS token in the prompt, so the prompt cannot be trained on; remove `train_on_prompt`.', String(argValue(ctx.doc, 'template'))),
      fixes: [preferred(removeFix('train_on_prompt'))],
    },
  }),
  defineRule({
    codes: ['template-reasoning'],
    covers: ['R220'],
    appliesTo: { commands: ALL },
    check(ctx) {
      if (template(ctx.doc)?.reasoning !== true) return undefined;
      const name = String(argValue(ctx.doc, 'template'));
      const nothink = byName.has(`${name}_nothink`) ? `\`${name}_nothink\`` : t('the `_nothink` variant');
      return {
        code: 'template-reasoning',
        severity: INFO,
        at: ['template'],
        onValue: true,
        message: t('`{0}` is a reasoning template (thinking is controlled by `enable_thinking`); for a model that does not reason, use {1}.', name, nothink),
      };
    },
  }),
];
