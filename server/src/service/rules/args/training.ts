// transformers TrainingArguments.__post_init__ checks (rules.md section 6). These
// keys exist only in the train parser, so a config that writes them is a train
// config; the checks follow transformers 4.57 and note where 5.x differs.
import { argValue, has, isSet, numberArg, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING, INFO } from '../rule';
import { show, firstWritten } from '../helpers';
import type { AnalysisContext } from '../../context';

function strategy(ctx: AnalysisContext, key: string): unknown {
  return argValue(ctx.doc, key);
}

/** The eval interval after transformers fills an unset or zero eval_steps from logging_steps. */
function effectiveEvalSteps(ctx: AnalysisContext): number | undefined {
  const eval_ = numberArg(ctx.doc, 'eval_steps');
  return eval_ === undefined || eval_ === 0 ? numberArg(ctx.doc, 'logging_steps') : eval_;
}

export const outputDirDefault = defineRule({
  codes: ['output-dir-default'],
  covers: ['R68'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'do_train') || isSet(ctx.doc, 'output_dir')) return [];
    return [{
      code: 'output-dir-default',
      severity: INFO,
      at: has(ctx.doc, 'output_dir') ? 'output_dir' : 'do_train',
      message: t('No `output_dir` is set, so checkpoints and the trained model are written to `trainer_output` in the launch folder.'),
    }];
  },
});

export const doEvalForced = defineRule({
  codes: ['do-eval-forced'],
  covers: ['R71'],
  check: (ctx) => {
    const s = strategy(ctx, 'eval_strategy');
    if (typeof s !== 'string' || s === 'no' || !has(ctx.doc, 'do_eval') || truthy(ctx.doc, 'do_eval')) return [];
    return [{
      code: 'do-eval-forced',
      severity: WARNING,
      at: 'do_eval',
      message: t('{0} turns evaluation on, so this `do_eval` value is ignored.', show('eval_strategy', s)),
      related: [{ key: 'eval_strategy', message: t('enables evaluation') }],
      fixes: [
        { title: t('Set {0}: {1}', 'do_eval', 'true'), ops: [{ set: 'do_eval', value: true }], preferred: true, safe: true },
        { title: t('Set {0}: {1}', 'eval_strategy', '"no"'), ops: [{ set: 'eval_strategy', value: 'no' }] },
      ],
    }];
  },
});

export const stepIntervals = defineRule({
  codes: ['eval-steps-from-logging', 'logging-steps-zero', 'steps-not-integer'],
  covers: ['R73', 'R74', 'R75'],
  check: (ctx) => {
    const out = [];
    const logging = numberArg(ctx.doc, 'logging_steps');
    if (strategy(ctx, 'eval_strategy') === 'steps' && logging !== undefined) {
      const ev = numberArg(ctx.doc, 'eval_steps');
      if (!isSet(ctx.doc, 'eval_steps') || ev === 0) {
        out.push(logging > 0
          ? {
            code: 'eval-steps-from-logging',
            severity: INFO,
            at: 'eval_strategy',
            message: t('No `eval_steps` is set, so evaluation runs every `logging_steps` ({0}) steps.', logging),
            related: [{ key: 'logging_steps', message: t('used as the eval interval') }],
          }
          : {
            code: 'eval-steps-from-logging',
            severity: ERROR,
            at: 'eval_strategy',
            message: t('Step-based evaluation needs an interval: set `eval_steps` (`logging_steps` is {0}, so it cannot stand in).', logging),
            related: [{ key: 'logging_steps', message: t('not usable as the eval interval') }],
          });
      }
    }
    if (strategy(ctx, 'logging_strategy') === 'steps' && logging === 0) {
      out.push({
        code: 'logging-steps-zero',
        severity: ERROR,
        at: 'logging_steps',
        message: t('Step-based logging needs a non-zero `logging_steps`.'),
        onValue: true,
        fixes: [{ title: t('Set {0}: {1}', 'logging_steps', '10'), ops: [{ set: 'logging_steps', value: 10 }] }],
      });
    }
    for (const [strategyKey, stepsKey] of [['logging_strategy', 'logging_steps'], ['eval_strategy', 'eval_steps'], ['save_strategy', 'save_steps']]) {
      const steps = numberArg(ctx.doc, stepsKey);
      if (strategy(ctx, strategyKey) !== 'steps' || !has(ctx.doc, stepsKey) || steps === undefined || steps <= 1 || Number.isInteger(steps)) continue;
      const whole = Math.round(steps);
      out.push({
        code: 'steps-not-integer',
        severity: ERROR,
        at: stepsKey,
        message: t('`{0}` above 1 counts steps and must be a whole number (values below 1 are a fraction of training); {1} is neither.', stepsKey, steps),
        onValue: true,
        fixes: [{ title: t('Set {0}: {1}', stepsKey, whole), ops: [{ set: stepsKey, value: whole }], preferred: true }],
      });
    }
    return out;
  },
});

export const loadBestModel = defineRule({
  codes: ['load-best-strategy-mismatch', 'load-best-steps-multiple', 'metric-for-best-model-default'],
  covers: ['R76', 'R77', 'R78'],
  check: (ctx) => {
    const out = [];
    const loadBest = truthy(ctx.doc, 'load_best_model_at_end');
    const save = strategy(ctx, 'save_strategy');
    const evalS = strategy(ctx, 'eval_strategy');
    if (loadBest && save !== 'best' && typeof save === 'string' && typeof evalS === 'string') {
      if (evalS !== save) {
        out.push({
          code: 'load-best-strategy-mismatch',
          severity: ERROR,
          at: 'load_best_model_at_end',
          message: t('Keeping the best model needs an evaluation at every save: `eval_strategy` ({0}{1}) must equal `save_strategy` ({2}{3}).', evalS, has(ctx.doc, 'eval_strategy') ? '' : t(', the default'), save, has(ctx.doc, 'save_strategy') ? '' : t(', the default')),
          related: [{ key: 'eval_strategy', message: t('the evaluation schedule') }, { key: 'save_strategy', message: t('the save schedule') }],
          fixes: [{ title: t('Set eval_strategy: {0}', save), ops: [{ set: 'eval_strategy', value: save }], preferred: true }],
        });
      } else if (evalS === 'steps') {
        const saveSteps = numberArg(ctx.doc, 'save_steps');
        const evalSteps = effectiveEvalSteps(ctx);
        const problem = saveSteps === undefined || evalSteps === undefined || evalSteps === 0 ? undefined : stepsProblem(saveSteps, evalSteps);
        if (problem) {
          out.push({
            code: 'load-best-steps-multiple',
            severity: ERROR,
            at: firstWritten(ctx, ['save_steps', 'eval_steps', 'load_best_model_at_end']) ?? 'load_best_model_at_end',
            message: problem,
            related: [{ key: 'eval_steps', message: t('the eval interval') }, { key: 'load_best_model_at_end', message: t('requires aligned saves') }],
          });
        }
      }
    }
    const plateau = argValue(ctx.doc, 'lr_scheduler_type') === 'reduce_lr_on_plateau';
    if ((loadBest || plateau) && !isSet(ctx.doc, 'metric_for_best_model')) {
      out.push({
        code: 'metric-for-best-model-default',
        severity: INFO,
        at: loadBest ? 'load_best_model_at_end' : 'lr_scheduler_type',
        message: t('No `metric_for_best_model` is set, so the evaluation loss is used (lower is better).'),
      });
    }
    return out;
  },
});

/** transformers' save/eval alignment check (ratios below 1 and absolute steps cannot be mixed). */
function stepsProblem(save: number, ev: number): string | undefined {
  const scale = 1_000_000;
  if (save % ev === 0) return undefined;
  if (ev >= 1 && save >= 1) return t('`save_steps` ({0}) must be a multiple of the eval interval ({1}) so that every saved checkpoint has been evaluated.', save, ev);
  if (!(ev < 1 && save < 1)) return t('`save_steps` ({0}) and the eval interval ({1}) mix a fraction of training with a step count; use the same kind for both.', save, ev);
  return Math.round(save * scale) % Math.round(ev * scale) === 0 ? undefined
    : t('`save_steps` ({0}) must be a multiple of the eval interval ({1}) so that every saved checkpoint has been evaluated.', save, ev);
}

export const precisionConflicts = defineRule({
  codes: ['conflict-fp16-bf16', 'conflict-fp16-bf16-full-eval', 'bf16-with-apex'],
  covers: ['R80', 'R81', 'R82'],
  check: (ctx) => {
    const out = [];
    for (const [fp16, bf16, code] of [['fp16', 'bf16', 'conflict-fp16-bf16'], ['fp16_full_eval', 'bf16_full_eval', 'conflict-fp16-bf16-full-eval']]) {
      if (!truthy(ctx.doc, fp16) || !truthy(ctx.doc, bf16)) continue;
      out.push({
        code: code,
        severity: ERROR,
        at: bf16,
        message: t('`{0}` and `{1}` are both on; transformers accepts only one half-precision mode. Prefer {2} on GPUs that support it (Ampere or newer), else {3}.', fp16, bf16, bf16, fp16),
        related: [{ key: fp16, message: t('{0} is also on', fp16) }],
        fixes: [
          { title: t('Set {0}: false', fp16), ops: [{ set: fp16, value: false }], preferred: true },
          { title: t('Set {0}: false', bf16), ops: [{ set: bf16, value: false }] },
        ],
      });
    }
    if (truthy(ctx.doc, 'bf16') && argValue(ctx.doc, 'half_precision_backend') === 'apex') {
      out.push({
        code: 'bf16-with-apex',
        severity: ERROR,
        at: 'half_precision_backend',
        message: t('The apex backend has no bf16 support, so transformers 4.x refuses `bf16` with it.'),
        related: [{ key: 'bf16', message: t('bf16 is on') }],
        fixes: [{ title: t('Set {0}: {1}', 'half_precision_backend', 'auto'), ops: [{ set: 'half_precision_backend', value: 'auto' }], preferred: true }],
      });
    }
    return out;
  },
});

export const plateauNeedsEval = defineRule({
  codes: ['plateau-needs-eval'],
  covers: ['R83'],
  check: (ctx) => {
    if (argValue(ctx.doc, 'lr_scheduler_type') !== 'reduce_lr_on_plateau' || strategy(ctx, 'eval_strategy') !== 'no') return [];
    return [{
      code: 'plateau-needs-eval',
      severity: ERROR,
      at: 'lr_scheduler_type',
      message: t('The reduce_lr_on_plateau scheduler lowers the learning rate from evaluation results, so it needs an `eval_strategy` other than no.'),
      onValue: true,
      related: [{ key: 'eval_strategy', message: t('evaluation is off') }],
    }];
  },
});

export const warmup = defineRule({
  codes: ['warmup-ratio-range', 'warmup-ratio-and-steps', 'warmup-steps-invalid'],
  covers: ['R84', 'R85', 'R86'],
  check: (ctx) => {
    const out = [];
    const ratio = numberArg(ctx.doc, 'warmup_ratio');
    const steps = numberArg(ctx.doc, 'warmup_steps');
    if (ratio !== undefined && (ratio < 0 || ratio > 1)) {
      out.push({
        code: 'warmup-ratio-range',
        severity: ERROR,
        at: 'warmup_ratio',
        message: t('`warmup_ratio` is a fraction of training and must lie between 0 and 1; {0} is rejected.', ratio),
        onValue: true,
      });
    } else if (ratio !== undefined && ratio > 0 && steps !== undefined && steps > 0) {
      out.push({
        code: 'warmup-ratio-and-steps',
        severity: WARNING,
        at: 'warmup_ratio',
        message: t('Both `warmup_ratio` and `warmup_steps` are set and transformers versions disagree on which wins (4.x uses warmup_steps, 5.x copies warmup_ratio over it); keep one.'),
        related: [{ key: 'warmup_steps', message: t('the other warmup setting') }],
        fixes: [
          { title: t('Remove {0}', 'warmup_ratio'), ops: [{ remove: 'warmup_ratio' }], preferred: true },
          { title: t('Remove {0}', 'warmup_steps'), ops: [{ remove: 'warmup_steps' }] },
        ],
      });
    }
    if (has(ctx.doc, 'warmup_steps') && steps !== undefined) {
      if (steps < 0) {
        out.push({
          code: 'warmup-steps-invalid',
          severity: ERROR,
          at: 'warmup_steps',
          message: t('`warmup_steps` cannot be negative ({0}).', steps),
          onValue: true,
          fixes: [{ title: t('Set {0}: {1}', 'warmup_steps', '0'), ops: [{ set: 'warmup_steps', value: 0 }] }],
        });
      } else if (!Number.isInteger(steps)) {
        out.push({
          code: 'warmup-steps-invalid',
          severity: WARNING,
          at: 'warmup_steps',
          message: t('transformers 4.x requires a whole number of `warmup_steps` and aborts on {0}; for a fraction of training use `warmup_ratio` (5.x reads values below 1 as a fraction).', steps),
          onValue: true,
          fixes: steps < 1 ? [{ title: t('Use warmup_ratio: {0}', steps), ops: [{ remove: 'warmup_steps' }, { set: 'warmup_ratio', value: steps }] }] : [],
        });
      }
    }
    return out;
  },
});

export const reportToDefault = defineRule({
  codes: ['report-to-default'],
  covers: ['R87'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'do_train') || isSet(ctx.doc, 'report_to')) return [];
    return [{
      code: 'report-to-default',
      severity: INFO,
      at: has(ctx.doc, 'report_to') ? 'report_to' : 'do_train',
      message: t('No `report_to` is set: with transformers 4.x every installed logger (wandb, tensorboard, mlflow, ...) receives the run, and wandb may ask to log in. Set `report_to: none` or name the loggers you want.'),
      fixes: [{ title: t('Set {0}: {1}', 'report_to', 'none'), ops: [{ set: 'report_to', value: 'none' }], preferred: true }],
    }];
  },
});

export const torchCompileForced = defineRule({
  codes: ['torch-compile-forced'],
  covers: ['R89'],
  check: (ctx) => {
    const by = ['torch_compile_backend', 'torch_compile_mode'].find((k) => isSet(ctx.doc, k));
    if (!by || !has(ctx.doc, 'torch_compile') || truthy(ctx.doc, 'torch_compile')) return [];
    return [{
      code: 'torch-compile-forced',
      severity: WARNING,
      at: 'torch_compile',
      message: t('Setting `{0}` switches torch.compile on, so this `torch_compile` value is ignored.', by),
      related: [{ key: by, message: t('enables torch.compile') }],
      fixes: [{ title: t('Remove {0}', by), ops: [{ remove: by }] }, { title: t('Set {0}: {1}', 'torch_compile', 'true'), ops: [{ set: 'torch_compile', value: true }] }],
    }];
  },
});

export const cpuPinMemory = defineRule({
  codes: ['pin-memory-off-on-cpu'],
  covers: ['R92'],
  check: (ctx) => {
    if (!truthy(ctx.doc, 'use_cpu') || !has(ctx.doc, 'dataloader_pin_memory') || !truthy(ctx.doc, 'dataloader_pin_memory')) return [];
    return [{
      code: 'pin-memory-off-on-cpu',
      severity: INFO,
      at: 'dataloader_pin_memory',
      message: t('With `use_cpu` there is no GPU to pin memory for, so transformers turns `dataloader_pin_memory` off.'),
      related: [{ key: 'use_cpu', message: t('training on the CPU') }],
    }];
  },
});

export const prefetchWithoutWorkers = defineRule({
  codes: ['prefetch-without-workers'],
  covers: ['R93'],
  check: (ctx) => {
    if (!isSet(ctx.doc, 'dataloader_prefetch_factor') || numberArg(ctx.doc, 'dataloader_num_workers') !== 0) return [];
    return [{
      code: 'prefetch-without-workers',
      severity: ERROR,
      at: 'dataloader_prefetch_factor',
      message: t('Prefetching happens in dataloader worker processes, so `dataloader_prefetch_factor` needs `dataloader_num_workers` above 0.'),
      related: [{ key: 'dataloader_num_workers', message: t('no worker processes') }],
      fixes: [{ title: t('Remove {0}', 'dataloader_prefetch_factor'), ops: [{ remove: 'dataloader_prefetch_factor' }], preferred: true }],
    }];
  },
});

export const trainingRules = [
  outputDirDefault, doEvalForced, stepIntervals, loadBestModel, precisionConflicts, plateauNeedsEval, warmup,
  reportToDefault, torchCompileForced, cpuPinMemory, prefetchWithoutWorkers,
];

