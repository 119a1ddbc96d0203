// Checks tied to the training stage (pt/sft/rm/ppo/dpo/kto) and to what the
// run is asked to do (do_train/do_eval/do_predict), from get_train_args and
// the PPO trainer.
import { argValue, isSet, stageOf, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import type { ReleaseRange, Rule } from '../rule';
import { preferred, removeFix, setFix, closestFix } from '../quick-fixes';
import { truthyKeys, didYouMean, inReleases } from '../helpers';
import type { AnalysisContext } from '../../context';
import { compareVersions } from '../../context/release/facts';

const STAGES: readonly string[] = lists.enums.stage;
/** The first transformers 0.9.4 refuses with neat_packing (hparams/parser.py). */
const NEAT_PACKING_REFUSED_FROM = '4.53.0';
const stageIs = (...s: string[]) => (ctx: AnalysisContext) => s.includes(stageOf(ctx.doc) as string);
const notSft = (ctx: AnalysisContext) => stageOf(ctx.doc) !== 'sft';
const ft = (ctx: AnalysisContext) => argValue(ctx.doc, 'finetuning_type');

/** Options of the SFT data pipeline that other stages refuse. */
/** `message` gets the stage the config trains with. */
function sftOnly(key: string, covers: string, message: (stage: string) => string, releases?: ReleaseRange): Rule {
  return defineRule({
    codes: [`train-${key.replace(/_/g, '-')}-needs-sft`],
    covers: [covers],
    appliesTo: { commands: ['train'], ...(releases ? { releases } : {}) },
    check: (ctx) => notSft(ctx) && truthy(ctx.doc, key) && {
      code: `train-${key.replace(/_/g, '-')}-needs-sft`,
      severity: ERROR,
      at: [key],
      related: ['stage'],
      message: message(String(stageOf(ctx.doc))),
      fixes: [preferred(removeFix(key))],
    },
  });
}

/** Number value of a key, or undefined when it is not a number. */
function num(ctx: AnalysisContext, key: string): number | undefined {
  const v = argValue(ctx.doc, key);
  return typeof v === 'number' ? v : undefined;
}

/**
 * What makes get_train_args ask for evaluation data (hparams/parser.py): do_eval and do_predict, and from 0.9.4
 * predict_with_generate too (before, predict_with_generate had a check of its own: `generateNeedsEvalDataset`).
 */
const evalTriggers = (ctx: AnalysisContext) =>
  ['do_eval', 'do_predict', ...(inReleases(ctx.release, { since: '0.9.4' }) ? ['predict_with_generate'] : [])].filter((k) => truthy(ctx.doc, k)).concat(evalStrategyOn(ctx) ? ['eval_strategy'] : []);
const evalStrategyOn = (ctx: AnalysisContext) => isSet(ctx.doc, 'eval_strategy') && argValue(ctx.doc, 'eval_strategy') !== 'no';

export const stageRules: Rule[] = [
  sftOnly('predict_with_generate', 'R108', (stage) => t('`predict_with_generate` generates predictions only for `stage: sft`; LLaMA-Factory stops with stage `{0}`. Remove it or train with stage sft.', stage)),
  sftOnly('neat_packing', 'R109', (stage) => t('`neat_packing` packs without cross-attention only for `stage: sft`; LLaMA-Factory stops with stage `{0}`. Remove it or train with stage sft.', stage)),
  defineRule({
    codes: ['train-neat-packing-transformers'],
    // 0.9.4's get_train_args: `if data_args.neat_packing and is_transformers_version_greater_than("4.53.0")` raises
    // (hparams/parser.py; extras/packages.py compares with >=); 0.9.5 dropped the check.
    appliesTo: { commands: ['train'], releases: { since: '0.9.4', until: '0.9.4' } },
    check: (ctx) => {
      const installed = ctx.release?.transformers?.version;
      if (!truthy(ctx.doc, 'neat_packing') || (installed !== undefined && compareVersions(installed, NEAT_PACKING_REFUSED_FROM) < 0)) return undefined;
      return {
        code: 'train-neat-packing-transformers',
        severity: installed ? ERROR : WARNING,
        at: ['neat_packing'],
        message: installed
          ? t('LLaMA-Factory {0} stops with `neat_packing` under transformers {1} or newer, and transformers {2} is installed; remove `neat_packing` (`packing` still works) or install an older transformers.', ctx.release?.facts.name ?? '', NEAT_PACKING_REFUSED_FROM, installed)
          : t('LLaMA-Factory {0} stops with `neat_packing` under transformers {1} or newer (no installed transformers was found to tell); remove it unless yours is older.', ctx.release?.facts.name ?? '', NEAT_PACKING_REFUSED_FROM),
        fixes: [preferred(removeFix('neat_packing'))],
      };
    },
  }),
  // get_train_args refuses these outside SFT from 0.9.0 (hparams/parser.py); 0.8.x accepts them.
  sftOnly('train_on_prompt', 'R110', (stage) => t('`{0}` is available only for `stage: sft`; LLaMA-Factory stops with stage `{1}`. Remove it or train with stage sft.', 'train_on_prompt', stage), { since: '0.9.0' }),
  sftOnly('mask_history', 'R110', (stage) => t('`{0}` is available only for `stage: sft`; LLaMA-Factory stops with stage `{1}`. Remove it or train with stage sft.', 'mask_history', stage), { since: '0.9.0' }),
  defineRule({
    codes: ['train-predict-needs-generate'],
    covers: ['R111'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageOf(ctx.doc) === 'sft' && truthy(ctx.doc, 'do_predict') && !truthy(ctx.doc, 'predict_with_generate') && {
      code: 'train-predict-needs-generate',
      severity: ERROR,
      at: ['do_predict'],
      related: ['predict_with_generate'],
      message: t('With `do_predict` in SFT, LLaMA-Factory needs `predict_with_generate: true` to produce and save the predictions.'),
      fixes: [preferred(setFix('predict_with_generate', true, 'do_predict'))],
    },
  }),
  defineRule({
    codes: ['train-load-best-model-stage'],
    covers: ['R119'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('rm', 'ppo')(ctx) && truthy(ctx.doc, 'load_best_model_at_end') && {
      code: 'train-load-best-model-stage',
      severity: ERROR,
      at: ['load_best_model_at_end'],
      related: ['stage'],
      message: t('`load_best_model_at_end` is not supported for stage `{0}`; remove it.', String(stageOf(ctx.doc))),
      fixes: [preferred(removeFix('load_best_model_at_end'))],
    },
  }),
  defineRule({
    codes: ['train-ppo-needs-do-train'],
    covers: ['R120'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && !truthy(ctx.doc, 'do_train') && {
      code: 'train-ppo-needs-do-train',
      severity: ERROR,
      at: ['stage'],
      related: ['do_train'],
      message: t('PPO cannot run evaluation or prediction on its own; LLaMA-Factory requires `do_train: true` for stage ppo.'),
      fixes: [preferred(setFix('do_train', true, 'stage'))],
    },
  }),
  defineRule({
    codes: ['train-ppo-shift-attn'],
    covers: ['R121'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && truthy(ctx.doc, 'shift_attn') && {
      code: 'train-ppo-shift-attn',
      severity: ERROR,
      at: ['shift_attn'],
      related: ['stage'],
      message: t('Shift short attention (`shift_attn`) does not work with PPO; remove it.'),
      fixes: [preferred(removeFix('shift_attn'))],
    },
  }),
  defineRule({
    codes: ['train-ppo-lora-reward-backend'],
    covers: ['R122'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'lora' && (truthy(ctx.doc, 'use_kt') || truthy(ctx.doc, 'use_unsloth')) && {
      code: 'train-ppo-lora-reward-backend',
      severity: ERROR,
      at: truthyKeys(ctx, 'use_kt', 'use_unsloth'),
      related: ['reward_model_type', 'stage'],
      message: t('PPO with a LoRA reward model (`reward_model_type: lora`, the default) cannot run on KTransformers or Unsloth; use `reward_model_type: full` or drop the backend.'),
    },
  }),
  defineRule({
    codes: ['train-ppo-report-to'],
    covers: ['R123'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && ppoUnsupportedLoggers(ctx).length > 0 && {
      code: 'train-ppo-report-to',
      severity: ERROR,
      at: ['report_to'],
      onValue: true,
      related: ['stage'],
      message: inReleases(ctx.release, TRACKIO_PPO)
        ? t('PPO can only log to wandb, tensorboard or trackio; remove {0} from `report_to`.', ppoUnsupportedLoggers(ctx).map((l) => `\`${l}\``).join(', '))
        : t('PPO in LLaMA-Factory {0} can only log to wandb or tensorboard (it checks the first entry of `report_to`); remove {1} from `report_to`.', ctx.release?.facts.name ?? '', ppoUnsupportedLoggers(ctx).map((l) => `\`${l}\``).join(', ')),
    },
  }),
  defineRule({
    codes: ['train-streaming-needs-max-steps'],
    covers: ['R126'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'streaming') && argValue(ctx.doc, 'max_steps') === -1 && {
      code: 'train-streaming-needs-max-steps',
      severity: ERROR,
      at: ['streaming'],
      related: ['max_steps'],
      message: t('A streamed dataset has no known length, so LLaMA-Factory requires `max_steps` (a positive number of steps) with `streaming`.'),
    },
  }),
  defineRule({
    codes: ['train-dataset-missing'],
    covers: ['R127'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'do_train') && !isSet(ctx.doc, 'dataset') && {
      code: 'train-dataset-missing',
      severity: ERROR,
      at: ['do_train'],
      message: t('Training needs data: add `dataset` with one or more dataset names from dataset_info.json.'),
    },
  }),
  defineRule({
    codes: ['train-eval-dataset-missing'],
    covers: ['R128'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => evalTriggers(ctx).length > 0 && !isSet(ctx.doc, 'eval_dataset') && (num(ctx, 'val_size') ?? 1) < 1e-6 && {
      code: 'train-eval-dataset-missing',
      severity: ERROR,
      at: evalTriggers(ctx),
      related: ['eval_dataset', 'val_size'],
      message: t('Evaluation and prediction need data to run on: set `eval_dataset`, or `val_size` to hold out part of the training data.'),
    },
  }),
  defineRule({
    codes: ['train-generate-needs-eval-dataset'],
    // Up to 0.9.3 get_train_args refuses predict_with_generate without eval_dataset, a val_size split or not
    // ("Cannot use `predict_with_generate` if `eval_dataset` is None.", hparams/parser.py); 0.9.4 dropped it.
    appliesTo: { commands: ['train'], releases: { until: '0.9.3' } },
    check: (ctx) => truthy(ctx.doc, 'predict_with_generate') && !isSet(ctx.doc, 'eval_dataset') && {
      code: 'train-generate-needs-eval-dataset',
      severity: ERROR,
      at: ['predict_with_generate'],
      related: ['val_size'],
      message: t('LLaMA-Factory {0} generates predictions only on `eval_dataset` (a `val_size` split does not count) and stops without it; set `eval_dataset` or remove `predict_with_generate`.', ctx.release?.facts.name ?? ''),
      fixes: [preferred(removeFix('predict_with_generate'))],
    },
  }),
  defineRule({
    codes: ['train-generate-with-accuracy'],
    covers: ['R130'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'predict_with_generate') && truthy(ctx.doc, 'compute_accuracy') && {
      code: 'train-generate-with-accuracy',
      severity: ERROR,
      at: ['compute_accuracy'],
      related: ['predict_with_generate'],
      message: t('`compute_accuracy` scores logits while `predict_with_generate` scores generated text; LLaMA-Factory accepts only one of them.'),
      fixes: [preferred(removeFix('compute_accuracy')), removeFix('predict_with_generate')],
    },
  }),
  defineRule({
    codes: ['train-dpo-eval-no-ref-model'],
    covers: ['R166'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => !truthy(ctx.doc, 'do_train') && stageIs('dpo')(ctx) && !isSet(ctx.doc, 'ref_model') && {
      code: 'train-dpo-eval-no-ref-model',
      severity: WARNING,
      at: ['stage'],
      message: t('Evaluating DPO without `ref_model`: the reward metrics are only meaningful against a reference model; set `ref_model`.'),
    },
  }),
  defineRule({
    codes: ['train-resume-cleared'],
    covers: ['R173'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('rm', 'ppo')(ctx) && ['full', 'freeze'].includes(ft(ctx) as string) && isSet(ctx.doc, 'resume_from_checkpoint') && {
      code: 'train-resume-cleared',
      severity: WARNING,
      at: ['resume_from_checkpoint'],
      related: ['stage', 'finetuning_type'],
      message: t('Stage `{0}` with {1} tuning cannot resume; LLaMA-Factory discards `resume_from_checkpoint` and starts from scratch.', String(stageOf(ctx.doc)), String(ft(ctx))),
      fixes: [preferred(removeFix('resume_from_checkpoint'))],
    },
  }),
  defineRule({
    codes: ['train-resume-lora-adapter'],
    covers: ['R176'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('rm', 'ppo')(ctx) && ft(ctx) === 'lora' && isSet(ctx.doc, 'resume_from_checkpoint') && {
      code: 'train-resume-lora-adapter',
      severity: WARNING,
      at: ['resume_from_checkpoint'],
      related: ['stage'],
      message: t('For LoRA in stage rm/ppo, resuming this way is not reliable; add the checkpoint folder to `adapter_name_or_path` instead.'),
    },
  }),
  defineRule({
    codes: ['train-ppo-reward-api-url'],
    covers: ['R264'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'api' && !/^https?:\/\//.test(String(argValue(ctx.doc, 'reward_model') ?? '')) && {
      code: 'train-ppo-reward-api-url',
      severity: ERROR,
      at: ['reward_model', 'reward_model_type'],
      onValue: true,
      message: t('With `reward_model_type: api`, `reward_model` must be the full http(s) URL of the reward service.'),
    },
  }),
  defineRule({
    codes: ['train-ppo-full-reward-tokenizer'],
    covers: ['R265'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'full' && {
      code: 'train-ppo-full-reward-tokenizer',
      severity: WARNING,
      at: ['reward_model_type'],
      message: t('A full reward model gets the policy\'s token ids directly: make sure it uses the same tokenizer as the model being trained.'),
    },
  }),
  defineRule({
    codes: ['train-ppo-eval-dataset'],
    covers: ['R267'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && (isSet(ctx.doc, 'eval_dataset') || (num(ctx, 'val_size') ?? 0) > 1e-6) && {
      code: 'train-ppo-eval-dataset',
      severity: ERROR,
      at: [isSet(ctx.doc, 'eval_dataset') ? 'eval_dataset' : 'val_size'],
      related: ['stage'],
      message: t('The PPO trainer does not evaluate; remove `{0}`.', isSet(ctx.doc, 'eval_dataset') ? 'eval_dataset' : 'val_size'),
      fixes: [preferred(removeFix('eval_dataset')), removeFix('val_size')],
    },
  }),
  defineRule({
    codes: ['train-ppo-resume'],
    covers: ['R267'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => stageIs('ppo')(ctx) && !['full', 'freeze'].includes(ft(ctx) as string) && isSet(ctx.doc, 'resume_from_checkpoint') && {
      code: 'train-ppo-resume',
      severity: ERROR,
      at: ['resume_from_checkpoint'],
      related: ['stage'],
      message: t('The PPO trainer cannot resume from a checkpoint; remove `resume_from_checkpoint`.'),
      fixes: [preferred(removeFix('resume_from_checkpoint'))],
    },
  }),
  defineRule({
    codes: ['train-unknown-stage'],
    covers: ['R212'],
    appliesTo: { commands: ['train', 'chat', 'export', 'eval'] },
    check: (ctx) => ctx.doc.byKey.has('stage') && !STAGES.includes(stageOf(ctx.doc) as string) && {
      code: 'train-unknown-stage',
      severity: ERROR,
      at: ['stage'],
      onValue: true,
      message: t('Unknown stage `{0}`; LLaMA-Factory accepts {1}.{2}', String(stageOf(ctx.doc)), STAGES.join(', '), didYouMean(stageOf(ctx.doc), STAGES)),
      fixes: [preferred(closestFix(ctx, 'stage', STAGES))],
    },
  }),
];

const PPO_LOGGERS = new Set(['wandb', 'tensorboard', 'trackio', 'none']);
/** From 0.9.5 get_train_args checks every `report_to` entry and lets trackio through; before, only the first entry, against wandb and tensorboard (hparams/parser.py). */
const TRACKIO_PPO = { since: '0.9.5' };
const PPO_FIRST_LOGGERS = new Set(['wandb', 'tensorboard', 'none']);

/** Loggers written in `report_to` that PPO refuses ("all" depends on what is installed, so it is left alone). */
function ppoUnsupportedLoggers(ctx: AnalysisContext): string[] {
  const v = ctx.doc.byKey.get('report_to')?.value;
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  if (!inReleases(ctx.release, TRACKIO_PPO)) return items.slice(0, 1).filter((l) => !PPO_FIRST_LOGGERS.has(l) && l !== 'all');
  return items.filter((l) => !PPO_LOGGERS.has(l) && l !== 'all');
}
