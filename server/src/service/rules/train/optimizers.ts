// GaLore, APOLLO and BAdam: the optimizers LLaMA-Factory builds itself, and
// what they refuse (DeepSpeed, other base optimizers, gradient accumulation).
import type { Rule, RuleContext } from '../types';
import { checkRule, ERROR, removeFix, setFix, truthyKeys, WARNING } from './declare';
import { argValue, isSet, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';

const BASE_OPTIMS: Record<'use_galore' | 'use_apollo', readonly string[]> = lists.enums.optim.llamafactory_constraints;

function optimRules(flag: 'use_galore' | 'use_apollo', covers: string): Rule[] {
  const allowed = BASE_OPTIMS[flag];
  const name = flag === 'use_galore' ? 'GaLore' : 'APOLLO';
  return [
    checkRule({
      code: `${name.toLowerCase()}-optim-unsupported`,
      covers: [covers],
      severity: ERROR,
      at: ['optim'],
      onValue: true,
      related: [flag],
      when: (ctx) => truthy(ctx.doc, flag) && ctx.doc.byKey.has('optim') && !allowed.includes(argValue(ctx.doc, 'optim') as string),
      message: () => t('{0} builds its optimizer from `optim`, which must be {1}; other values stop training when the optimizer is created.', name, allowed.map((o) => `\`${o}\``).join(', ')),
      fixes: [setFix('optim', 'adamw_torch')],
    }),
    checkRule({
      code: `${name.toLowerCase()}-optim-default`,
      covers: [covers],
      severity: WARNING,
      at: [flag],
      when: (ctx) => truthy(ctx.doc, flag) && !ctx.doc.byKey.has('optim'),
      message: () => t('Without `optim`, transformers picks `adamw_torch_fused` on PyTorch 2.8 or newer, which {0} rejects; set `optim: adamw_torch`.', name),
      fixes: [setFix('optim', 'adamw_torch', flag)],
    }),
  ];
}

function layerwiseAccumulation(flag: 'galore_layerwise' | 'apollo_layerwise', method: 'use_galore' | 'use_apollo', covers: string): Rule {
  return checkRule({
    code: `${flag.replace('_', '-')}-accumulation`,
    covers: [covers],
    severity: ERROR,
    at: ['gradient_accumulation_steps', flag],
    onValue: true,
    related: [flag],
    when: (ctx) => truthy(ctx.doc, flag) && truthy(ctx.doc, method) && argValue(ctx.doc, 'gradient_accumulation_steps') !== 1,
    message: () => t('Layer-wise updates step each layer during the backward pass, so gradients cannot be accumulated: set `gradient_accumulation_steps: 1`.'),
    fixes: [setFix('gradient_accumulation_steps', 1)],
  });
}

const lowRankOn = (ctx: RuleContext) => truthy(ctx.doc, 'use_galore') || truthy(ctx.doc, 'use_apollo');

export const optimizerRules: Rule[] = [
  ...optimRules('use_galore', 'R259'),
  ...optimRules('use_apollo', 'R261'),
  layerwiseAccumulation('galore_layerwise', 'use_galore', 'R260'),
  layerwiseAccumulation('apollo_layerwise', 'use_apollo', 'R262'),
  checkRule({
    code: 'lowrank-deepspeed',
    covers: ['R139'],
    severity: ERROR,
    at: truthyKeys('use_galore', 'use_apollo'),
    related: ['deepspeed'],
    when: (ctx) => lowRankOn(ctx) && isSet(ctx.doc, 'deepspeed'),
    message: () => t('GaLore and APOLLO cannot run under DeepSpeed; remove `deepspeed` or the low-rank optimizer.'),
    fixes: [removeFix('deepspeed')],
  }),
  checkRule({
    code: 'lowrank-amp-memory',
    covers: ['R164'],
    severity: WARNING,
    at: truthyKeys('use_galore', 'use_apollo'),
    when: (ctx) => truthy(ctx.doc, 'do_train') && lowRankOn(ctx) && !truthy(ctx.doc, 'pure_bf16'),
    message: () => t('GaLore/APOLLO with mixed precision keeps float32 weights and can use much more memory; LLaMA-Factory suggests `pure_bf16: true`.'),
    fixes: [setFix('pure_bf16', true)],
  }),
  checkRule({
    code: 'badam-ratio-too-small',
    covers: ['R263'],
    severity: ERROR,
    at: ['badam_update_ratio'],
    onValue: true,
    related: ['badam_mode'],
    when: (ctx) => {
      const r = argValue(ctx.doc, 'badam_update_ratio');
      return truthy(ctx.doc, 'use_badam') && argValue(ctx.doc, 'badam_mode') === 'ratio' && typeof r === 'number' && r <= 1e-6;
    },
    message: () => t('In ratio mode BAdam updates this fraction of the parameters; it must be greater than 1e-6.'),
  }),
];
