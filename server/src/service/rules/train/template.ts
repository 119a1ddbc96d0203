// The chat template: unset (the tokenizer's own is guessed), unknown,
// incompatible with train_on_prompt, or a reasoning template.
import type { Rule, RuleContext } from '../types';
import { templateHint } from '../../context/release/key-history';
import { checkRule, closestFix, didYouMean, ERROR, INFO, removeFix, WARNING } from './declare';
import { argValue, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';

const ALL = ['train', 'chat', 'export', 'eval'] as const;
const TEMPLATES = lists.templates.map((t) => t.name);
/** The templates of the user's release (data/template.py's register_template calls), else main's. */
const templatesOf = (ctx: RuleContext): readonly string[] => ctx.release?.facts.templates ?? TEMPLATES;
const byName = new Map(lists.templates.map((t) => [t.name, t]));
const template = (doc: Parameters<typeof argValue>[0]) => {
  const v = argValue(doc, 'template');
  return typeof v === 'string' ? byName.get(v) : undefined;
};

export const templateRules: Rule[] = [
  checkRule({
    code: 'template-missing',
    covers: ['R217'],
    severity: WARNING,
    commands: ALL,
    at: ['model_name_or_path'],
    when: (ctx) => !ctx.doc.byKey.has('template') && ctx.doc.byKey.has('model_name_or_path'),
    message: () => t('No `template` is set: LLaMA-Factory falls back to the chat template stored with the tokenizer, or to the bare `empty` template when there is none. Set the template that matches the model.'),
  }),
  checkRule({
    code: 'template-unknown',
    covers: ['R218'],
    severity: ERROR,
    commands: ALL,
    at: ['template'],
    onValue: true,
    when: (ctx) => {
      const v = argValue(ctx.doc, 'template');
      return v !== null && v !== undefined && !templatesOf(ctx).includes(String(v));
    },
    message: (ctx) => {
      const v = argValue(ctx.doc, 'template');
      const drift = ctx.release ? templateHint(String(v), ctx.release) : undefined;
      return (drift ?? t('`{0}` is not a LLaMA-Factory template.', String(v))) + didYouMean(v, templatesOf(ctx));
    },
    fixes: [closestFix('template', () => TEMPLATES)],
  }),
  checkRule({
    code: 'template-train-on-prompt',
    covers: ['R219'],
    severity: ERROR,
    at: ['train_on_prompt'],
    related: ['template'],
    when: (ctx) => truthy(ctx.doc, 'train_on_prompt') && template(ctx.doc)?.efficientEos === true,
    message: (ctx) => t('Template `{0}` puts the EOS token in the prompt, so the prompt cannot be trained on; remove `train_on_prompt`.', String(argValue(ctx.doc, 'template'))),
    fixes: [removeFix('train_on_prompt')],
  }),
  checkRule({
    code: 'template-reasoning',
    covers: ['R220'],
    severity: INFO,
    commands: ALL,
    at: ['template'],
    onValue: true,
    when: (ctx) => template(ctx.doc)?.reasoning === true,
    message: (ctx) => {
      const name = String(argValue(ctx.doc, 'template'));
      const nothink = byName.has(`${name}_nothink`) ? `\`${name}_nothink\`` : t('the `_nothink` variant');
      return t('`{0}` is a reasoning template (thinking is controlled by `enable_thinking`); for a model that does not reason, use {1}.', name, nothink);
    },
  }),
];
