// DataArguments.__post_init__ checks (rules.md section 3), for every command.
import { argValue, has, isSet, numberArg, pyFloat, splitArg, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING, INFO } from '../rule';
import { show } from '../helpers';
import type { AnalysisContext } from '../../context';

/** LLaMA-Factory treats a val_size above this as "split off a validation set". */
const VAL_SIZE_EPSILON = 1e-6;

function valSize(ctx: AnalysisContext): number | undefined {
  const v = numberArg(ctx.doc, 'val_size');
  return v !== undefined && v > VAL_SIZE_EPSILON ? v : undefined;
}

export const valSizeConflicts = defineRule({
  codes: ['val-size-needs-dataset', 'val-size-with-eval-dataset'],
  covers: ['R30', 'R31'],
  check: (ctx) => {
    if (valSize(ctx) === undefined) return [];
    return [
      isSet(ctx.doc, 'dataset') ? undefined : {
        code: 'val-size-needs-dataset',
        severity: ERROR,
        at: 'val_size',
        message: t('`val_size` carves the validation set out of `dataset`, but no `dataset` is given.'),
      },
      !isSet(ctx.doc, 'eval_dataset') ? undefined : {
        code: 'val-size-with-eval-dataset',
        severity: ERROR,
        at: 'val_size',
        message: t('Use either `val_size` (split the training data) or `eval_dataset` (separate data), not both; LLaMA-Factory refuses the pair.'),
        related: [{ key: 'eval_dataset', message: t('the separate evaluation data') }],
        fixes: [
          { title: t('Remove {0}', 'val_size'), ops: [{ remove: 'val_size' }], preferred: true },
          { title: t('Remove {0}', 'eval_dataset'), ops: [{ remove: 'eval_dataset' }] },
        ],
      },
    ];
  },
});

function count(value: unknown): number | undefined {
  return splitArg(value)?.length;
}

export const interleaveProbs = defineRule({
  codes: ['interleave-probs-with-concat', 'interleave-probs-not-numeric', 'interleave-probs-count'],
  covers: ['R32', 'R33', 'R34', 'R35'],
  check: (ctx) => {
      const raw = argValue(ctx.doc, 'interleave_probs');
      if (raw === null || raw === undefined) return [];
      const out = [];
      const strategy = argValue(ctx.doc, 'mix_strategy');
      if (strategy === 'concat') {
        out.push({
          code: 'interleave-probs-with-concat',
          severity: ERROR,
          at: 'interleave_probs',
          message: t('Sampling probabilities only apply when datasets are interleaved, but {0}{1} concatenates them.', show('mix_strategy', 'concat'), has(ctx.doc, 'mix_strategy') ? '' : ` ${t('(the default)')}`),
          related: [{ key: 'mix_strategy', message: t('the mixing strategy') }],
          fixes: [
            { title: t('Set {0}: {1}', 'mix_strategy', 'interleave_under'), ops: [{ set: 'mix_strategy', value: 'interleave_under' }], preferred: true },
            { title: t('Remove {0}', 'interleave_probs'), ops: [{ remove: 'interleave_probs' }] },
          ],
        });
      }
      const items = splitArg(raw);
      const bad = items === undefined ? undefined : items.find((p) => pyFloat(p) === undefined);
      if (items === undefined || bad !== undefined) {
        const why = items === undefined ? t('it is a single number') : t('`{0}` is not a number', String(bad));
        out.push({
          code: 'interleave-probs-not-numeric',
          severity: ERROR,
          at: 'interleave_probs',
          message: t('`interleave_probs` must be a comma-separated list of numbers (one per dataset), but {0}.', why),
          onValue: true,
        });
        return out;
      }
      for (const key of ['dataset', 'eval_dataset']) {
        const n = count(argValue(ctx.doc, key));
        if (n === undefined || n === items.length) continue;
        out.push({
          code: 'interleave-probs-count',
          severity: ERROR,
          at: 'interleave_probs',
          message: t('`interleave_probs` has {0} values but `{1}` lists {2} datasets; give one probability per dataset.', items.length, key, n),
          onValue: true,
          related: [{ key, message: t('{0} datasets', n) }],
        });
      }
      return out;
    },
});

export const streamingConflicts = defineRule({
  codes: ['streaming-val-size-ratio', 'streaming-max-samples'],
  covers: ['R36', 'R37'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'streaming')) return [];
    const v = valSize(ctx);
    const related = [{ key: 'streaming', message: t('streaming is on') }];
    return [
      v === undefined || v >= 1 ? undefined : {
        code: 'streaming-val-size-ratio',
        severity: ERROR,
        at: 'val_size',
        message: t('A streamed dataset has no known length, so `val_size` must be a whole number of samples, not the fraction {0}.', v),
        onValue: true,
        related,
      },
      !isSet(ctx.doc, 'max_samples') ? undefined : {
        code: 'streaming-max-samples',
        severity: ERROR,
        at: 'max_samples',
        message: t('`max_samples` cannot be used with `streaming`; LLaMA-Factory refuses the pair.'),
        related,
        fixes: [{ title: t('Remove {0}', 'max_samples'), ops: [{ remove: 'max_samples' }], preferred: true }],
      },
    ];
  },
});

export const maskHistoryTrainOnPrompt = defineRule({
  codes: ['mask-history-with-train-on-prompt'],
  covers: ['R38'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'mask_history') || !truthy(ctx.doc, 'train_on_prompt')) return [];
    return [{
      code: 'mask-history-with-train-on-prompt',
      severity: ERROR,
      at: 'mask_history',
      message: t('`mask_history` (learn only from the last turn) contradicts `train_on_prompt` (learn from prompts too); LLaMA-Factory refuses the pair.'),
      related: [{ key: 'train_on_prompt', message: t('the conflicting option') }],
      fixes: [
        { title: t('Set {0}: {1}', 'mask_history', 'false'), ops: [{ set: 'mask_history', value: false }] },
        { title: t('Set {0}: {1}', 'train_on_prompt', 'false'), ops: [{ set: 'train_on_prompt', value: false }] },
      ],
    }];
  },
});

export const packingOverrides = defineRule({
  codes: ['packing-forced-by-neat-packing', 'packing-shortens-cutoff'],
  covers: ['R39', 'R40'],
  check: (ctx) => {
    const neat = truthy(ctx.doc, 'neat_packing');
    const out = [];
    if (neat && has(ctx.doc, 'packing') && !truthy(ctx.doc, 'packing')) {
      out.push({
        code: 'packing-forced-by-neat-packing',
        severity: WARNING,
        at: 'packing',
        message: t('`neat_packing: true` turns packing on, so this `packing` value is overridden.'),
        related: [{ key: 'neat_packing', message: t('neat packing forces packing on') }],
        fixes: [{ title: t('Set {0}: {1}', 'packing', 'true'), ops: [{ set: 'packing', value: true }], preferred: true, safe: true }],
      });
    }
    const cutoff = numberArg(ctx.doc, 'cutoff_len');
    if ((neat || truthy(ctx.doc, 'packing')) && cutoff !== undefined) {
      const at = neat ? 'neat_packing' : 'packing';
      out.push({
        code: 'packing-shortens-cutoff',
        severity: INFO,
        at: at,
        message: t('With packing, LLaMA-Factory trains on sequences of `cutoff_len` - 1 = {0} tokens (one position is kept free).', cutoff - 1),
        related: [{ key: 'cutoff_len', message: t('reduced by one') }],
      });
    }
    return out;
  },
});

export const dataRules = [valSizeConflicts, interleaveProbs, streamingConflicts, maskHistoryTrainOnPrompt, packingOverrides];
