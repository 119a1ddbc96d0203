// GaLore, APOLLO and BAdam: the optimizers LLaMA-Factory builds itself, and
// what they refuse (DeepSpeed, other base optimizers, gradient accumulation).
import { argValue, isSet, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import type { Rule } from '../rule';
import { preferred, removeFix, setFix } from '../quick-fixes';
import { truthyKeys } from '../helpers';
import type { AnalysisContext } from '../../context';

const BASE_OPTIMS: Record<'use_galore' | 'use_apollo', readonly string[]> = lists.enums.optim.llamafactory_constraints;

function optimRules(flag: 'use_galore' | 'use_apollo', covers: string): Rule[] {
  const allowed = BASE_OPTIMS[flag];
  const name = flag === 'use_galore' ? 'GaLore' : 'APOLLO';
  return [
    defineRule({
    codes: [`${name.toLowerCase()}-optim-unsupported`],
    covers: [covers],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, flag) && ctx.doc.byKey.has('optim') && !allowed.includes(argValue(ctx.doc, 'optim') as string) && {
      code: `${name.toLowerCase()}-optim-unsupported`,
      severity: ERROR,
      at: ['optim'],
      onValue: true,
      related: [flag],
      message: t('{0} builds its optimizer from `optim`, which must be {1}; other values stop training when the optimizer is created.', name, allowed.map((o) => `\`${o}\``).join(', ')),
      fixes: [preferred(setFix('optim', 'adamw_torch'))],
    },
  }),
    defineRule({
    codes: [`${name.toLowerCase()}-optim-default`],
    covers: [covers],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, flag) && !ctx.doc.byKey.has('optim') && {
      code: `${name.toLowerCase()}-optim-default`,
      severity: WARNING,
      at: [flag],
      message: t('Without `optim`, transformers picks `adamw_torch_fused` on PyTorch 2.8 or newer, which {0} rejects; set `optim: adamw_torch`.', name),
      fixes: [preferred(setFix('optim', 'adamw_torch', flag))],
    },
  }),
  ];
}

function layerwiseAccumulation(flag: 'galore_layerwise' | 'apollo_layerwise', method: 'use_galore' | 'use_apollo', covers: string): Rule {
  return defineRule({
    codes: [`${flag.replace('_', '-')}-accumulation`],
    covers: [covers],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, flag) && truthy(ctx.doc, method) && argValue(ctx.doc, 'gradient_accumulation_steps') !== 1 && {
      code: `${flag.replace('_', '-')}-accumulation`,
      severity: ERROR,
      at: ['gradient_accumulation_steps', flag],
      onValue: true,
      related: [flag],
      message: t('Layer-wise updates step each layer during the backward pass, so gradients cannot be accumulated: set `gradient_accumulation_steps: 1`.'),
      fixes: [preferred(setFix('gradient_accumulation_steps', 1))],
    },
  });
}

const lowRankOn = (ctx: AnalysisContext) => truthy(ctx.doc, 'use_galore') || truthy(ctx.doc, 'use_apollo');

export const optimizerRules: Rule[] = [
  ...optimRules('use_galore', 'R259'),
  ...optimRules('use_apollo', 'R261'),
  layerwiseAccumulation('galore_layerwise', 'use_galore', 'R260'),
  layerwiseAccumulation('apollo_layerwise', 'use_apollo', 'R262'),
  defineRule({
    codes: ['lowrank-deepspeed'],
    covers: ['R139'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => lowRankOn(ctx) && isSet(ctx.doc, 'deepspeed') && {
      code: 'lowrank-deepspeed',
      severity: ERROR,
      at: truthyKeys(ctx, 'use_galore', 'use_apollo'),
      related: ['deepspeed'],
      message: t('GaLore and APOLLO cannot run under DeepSpeed; remove `deepspeed` or the low-rank optimizer.'),
      fixes: [preferred(removeFix('deepspeed'))],
    },
  }),
  defineRule({
    codes: ['lowrank-amp-memory'],
    covers: ['R164'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && lowRankOn(ctx) && !truthy(ctx.doc, 'pure_bf16') && {
      code: 'lowrank-amp-memory',
      severity: WARNING,
      at: truthyKeys(ctx, 'use_galore', 'use_apollo'),
      message: t('GaLore/APOLLO with mixed precision keeps float32 weights and can use much more memory; LLaMA-Factory suggests `pure_bf16: true`.'),
      fixes: [preferred(setFix('pure_bf16', true))],
    },
  }),
  defineRule({
    codes: ['badam-ratio-too-small'],
    covers: ['R263'],
    appliesTo: { commands: ['train'] },
    check(ctx) {
      const r = argValue(ctx.doc, 'badam_update_ratio');
      if (!(truthy(ctx.doc, 'use_badam') && argValue(ctx.doc, 'badam_mode') === 'ratio' && typeof r === 'number' && r <= 1e-6)) return undefined;
      return {
        code: 'badam-ratio-too-small',
        severity: ERROR,
        at: ['badam_update_ratio'],
        onValue: true,
        related: ['badam_mode'],
        message: t('In ratio mode BAdam updates this fraction of the parameters; it must be greater than 1e-6.'),
      };
    },
  }),
];
