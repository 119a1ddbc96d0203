// Evaluation and Megatron Bridge argument checks (rules.md section 5) and the
// "must be at least N" bounds that several dataclasses assert on their own.
import traits from '../../facts/arg-traits.json';
import { resolveReference } from '../../files';
import { isSet, numberArg, stringArg, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';

/** Integer keys LLaMA-Factory or transformers reject below a minimum, with the row. */
const MINIMUMS: readonly { key: string; min: number; row: string; what: () => string }[] = [
  { key: 'hyper_parallel_cp_size', min: 1, row: 'R45', what: () => t('the context-parallel group size') },
  { key: 'tensor_model_parallel_size', min: 1, row: 'R61', what: () => t('a parallel group size') },
  { key: 'pipeline_model_parallel_size', min: 1, row: 'R61', what: () => t('a parallel group size') },
  { key: 'expert_model_parallel_size', min: 1, row: 'R61', what: () => t('a parallel group size') },
  { key: 'context_parallel_size', min: 1, row: 'R61', what: () => t('a parallel group size') },
  { key: 'virtual_pipeline_model_parallel_size', min: 1, row: 'R62', what: () => t('the virtual pipeline size') },
  { key: 'recompute_num_layers', min: 1, row: 'R65', what: () => t('the number of recomputed layers') },
  { key: 'torch_empty_cache_steps', min: 1, row: 'R72', what: () => t('the cache-emptying interval') },
];

export const belowMinimum = defineRule({
  codes: ['value-below-minimum'],
  covers: [...new Set(MINIMUMS.map((m) => m.row))],
  check: (ctx) =>
    MINIMUMS.map(({ key, min, what }) => {
      const v = numberArg(ctx.doc, key);
      if (!ctx.doc.byKey.has(key) || v === undefined || v >= min) return undefined;
      return {
        code: 'value-below-minimum',
        severity: ERROR,
        at: key,
        message: t('`{0}` is {1} and must be at least {2}; {3} aborts the launch.', key, what(), min, v),
        onValue: true,
        fixes: [{ title: t('Set {0}: {1}', key, min), ops: [{ set: key, value: min }] }],
      };
    }),
});

export const sequenceParallelNeedsTp = defineRule({
  codes: ['sequence-parallel-needs-tp'],
  covers: ['R63'],
  check: (ctx) => {
    const tp = numberArg(ctx.doc, 'tensor_model_parallel_size');
    if (!truthy(ctx.doc, 'sequence_parallel') || tp === undefined || tp > 1) return [];
    return [{
      code: 'sequence-parallel-needs-tp',
      severity: ERROR,
      at: 'sequence_parallel',
      message: t('Sequence parallelism splits work across tensor-parallel ranks, so it needs `tensor_model_parallel_size` above 1 (here {0}).', tp),
      related: [{ key: 'tensor_model_parallel_size', message: t('the tensor-parallel size') }],
      fixes: [{ title: t('Set {0}: {1}', 'sequence_parallel', 'false'), ops: [{ set: 'sequence_parallel', value: false }], preferred: true }],
    }];
  },
});

export const evalArguments = defineRule({
  codes: ['eval-task-missing', 'eval-save-dir-exists'],
  covers: ['R58', 'R59'],
  check: (ctx) => {
    const evalKey = ctx.doc.entries.find((e) => traits.evalOnly.includes(e.key))?.key;
    if (evalKey === undefined) return [];
    const out = [];
    if (!isSet(ctx.doc, 'task')) {
      out.push({
        code: 'eval-task-missing',
        severity: ERROR,
        at: evalKey,
        message: t('`{0}` belongs to the evaluation arguments, which cannot be built without `task` (the benchmark to run, e.g. mmlu_test).', evalKey),
      });
    }
    const saveDir = stringArg(ctx.doc, 'save_dir');
    const existing = saveDir === undefined ? undefined : resolveReference(saveDir, ctx.configPath, ctx.host, (p) => ctx.host.isDirectory(p));
    if (existing) {
      out.push({
        code: 'eval-save-dir-exists',
        severity: ERROR,
        at: 'save_dir',
        message: t('The evaluation refuses to overwrite results: `{0}` already exists. Choose a new `save_dir` or delete that folder.', existing.path),
        onValue: true,
      });
    }
    return out;
  },
});

export const otherDataclassRules = [belowMinimum, sequenceParallelNeedsTp, evalArguments];

