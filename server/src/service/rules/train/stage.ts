// Checks tied to the training stage (pt/sft/rm/ppo/dpo/kto) and to what the
// run is asked to do (do_train/do_eval/do_predict), from get_train_args and
// the PPO trainer.
import type { Rule, RuleContext } from '../types';
import { checkRule, closestFix, didYouMean, ERROR, removeFix, setFix, truthyKeys, WARNING } from './declare';
import { argValue, isSet, stageOf, truthy } from '../../values';
import lists from '../../facts/lists.json';
import { t } from '../../l10n';

const STAGES: readonly string[] = lists.enums.stage;
const stageIs = (...s: string[]) => (ctx: RuleContext) => s.includes(stageOf(ctx.doc) as string);
const notSft = (ctx: RuleContext) => stageOf(ctx.doc) !== 'sft';
const ft = (ctx: RuleContext) => argValue(ctx.doc, 'finetuning_type');

/** Options of the SFT data pipeline that other stages refuse. */
/** `message` gets the stage the config trains with. */
function sftOnly(key: string, covers: string, message: (stage: string) => string): Rule {
  return checkRule({
    code: `train-${key.replace(/_/g, '-')}-needs-sft`,
    covers: [covers],
    severity: ERROR,
    at: [key],
    related: ['stage'],
    when: (ctx) => notSft(ctx) && truthy(ctx.doc, key),
    message: (ctx) => message(String(stageOf(ctx.doc))),
    fixes: [removeFix(key)],
  });
}

/** Number value of a key, or undefined when it is not a number. */
function num(ctx: RuleContext, key: string): number | undefined {
  const v = argValue(ctx.doc, key);
  return typeof v === 'number' ? v : undefined;
}

const evalTriggers = (ctx: RuleContext) =>
  ['do_eval', 'do_predict', 'predict_with_generate'].filter((k) => truthy(ctx.doc, k)).concat(evalStrategyOn(ctx) ? ['eval_strategy'] : []);
const evalStrategyOn = (ctx: RuleContext) => isSet(ctx.doc, 'eval_strategy') && argValue(ctx.doc, 'eval_strategy') !== 'no';

export const stageRules: Rule[] = [
  sftOnly('predict_with_generate', 'R108', (stage) => t('`predict_with_generate` generates predictions only for `stage: sft`; LLaMA-Factory stops with stage `{0}`. Remove it or train with stage sft.', stage)),
  sftOnly('neat_packing', 'R109', (stage) => t('`neat_packing` packs without cross-attention only for `stage: sft`; LLaMA-Factory stops with stage `{0}`. Remove it or train with stage sft.', stage)),
  sftOnly('train_on_prompt', 'R110', (stage) => t('`{0}` is available only for `stage: sft`; LLaMA-Factory stops with stage `{1}`. Remove it or train with stage sft.', 'train_on_prompt', stage)),
  sftOnly('mask_history', 'R110', (stage) => t('`{0}` is available only for `stage: sft`; LLaMA-Factory stops with stage `{1}`. Remove it or train with stage sft.', 'mask_history', stage)),
  checkRule({
    code: 'train-predict-needs-generate',
    covers: ['R111'],
    severity: ERROR,
    at: ['do_predict'],
    related: ['predict_with_generate'],
    when: (ctx) => stageOf(ctx.doc) === 'sft' && truthy(ctx.doc, 'do_predict') && !truthy(ctx.doc, 'predict_with_generate'),
    message: () => t('With `do_predict` in SFT, LLaMA-Factory needs `predict_with_generate: true` to produce and save the predictions.'),
    fixes: [setFix('predict_with_generate', true, 'do_predict')],
  }),
  checkRule({
    code: 'train-load-best-model-stage',
    covers: ['R119'],
    severity: ERROR,
    at: ['load_best_model_at_end'],
    related: ['stage'],
    when: (ctx) => stageIs('rm', 'ppo')(ctx) && truthy(ctx.doc, 'load_best_model_at_end'),
    message: (ctx) => t('`load_best_model_at_end` is not supported for stage `{0}`; remove it.', String(stageOf(ctx.doc))),
    fixes: [removeFix('load_best_model_at_end')],
  }),
  checkRule({
    code: 'train-ppo-needs-do-train',
    covers: ['R120'],
    severity: ERROR,
    at: ['stage'],
    related: ['do_train'],
    when: (ctx) => stageIs('ppo')(ctx) && !truthy(ctx.doc, 'do_train'),
    message: () => t('PPO cannot run evaluation or prediction on its own; LLaMA-Factory requires `do_train: true` for stage ppo.'),
    fixes: [setFix('do_train', true, 'stage')],
  }),
  checkRule({
    code: 'train-ppo-shift-attn',
    covers: ['R121'],
    severity: ERROR,
    at: ['shift_attn'],
    related: ['stage'],
    when: (ctx) => stageIs('ppo')(ctx) && truthy(ctx.doc, 'shift_attn'),
    message: () => t('Shift short attention (`shift_attn`) does not work with PPO; remove it.'),
    fixes: [removeFix('shift_attn')],
  }),
  checkRule({
    code: 'train-ppo-lora-reward-backend',
    covers: ['R122'],
    severity: ERROR,
    at: truthyKeys('use_kt', 'use_unsloth'),
    related: ['reward_model_type', 'stage'],
    when: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'lora' && (truthy(ctx.doc, 'use_kt') || truthy(ctx.doc, 'use_unsloth')),
    message: () => t('PPO with a LoRA reward model (`reward_model_type: lora`, the default) cannot run on KTransformers or Unsloth; use `reward_model_type: full` or drop the backend.'),
  }),
  checkRule({
    code: 'train-ppo-report-to',
    covers: ['R123'],
    severity: ERROR,
    at: ['report_to'],
    onValue: true,
    related: ['stage'],
    when: (ctx) => stageIs('ppo')(ctx) && ppoUnsupportedLoggers(ctx).length > 0,
    message: (ctx) => t('PPO can only log to wandb, tensorboard or trackio; remove {0} from `report_to`.', ppoUnsupportedLoggers(ctx).map((l) => `\`${l}\``).join(', ')),
  }),
  checkRule({
    code: 'train-streaming-needs-max-steps',
    covers: ['R126'],
    severity: ERROR,
    at: ['streaming'],
    related: ['max_steps'],
    when: (ctx) => truthy(ctx.doc, 'streaming') && argValue(ctx.doc, 'max_steps') === -1,
    message: () => t('A streamed dataset has no known length, so LLaMA-Factory requires `max_steps` (a positive number of steps) with `streaming`.'),
  }),
  checkRule({
    code: 'train-dataset-missing',
    covers: ['R127'],
    severity: ERROR,
    at: ['do_train'],
    when: (ctx) => truthy(ctx.doc, 'do_train') && !isSet(ctx.doc, 'dataset'),
    message: () => t('Training needs data: add `dataset` with one or more dataset names from dataset_info.json.'),
  }),
  checkRule({
    code: 'train-eval-dataset-missing',
    covers: ['R128'],
    severity: ERROR,
    at: evalTriggers,
    related: ['eval_dataset', 'val_size'],
    when: (ctx) => evalTriggers(ctx).length > 0 && !isSet(ctx.doc, 'eval_dataset') && (num(ctx, 'val_size') ?? 1) < 1e-6,
    message: () => t('Evaluation and prediction need data to run on: set `eval_dataset`, or `val_size` to hold out part of the training data.'),
  }),
  checkRule({
    code: 'train-generate-with-accuracy',
    covers: ['R130'],
    severity: ERROR,
    at: ['compute_accuracy'],
    related: ['predict_with_generate'],
    when: (ctx) => truthy(ctx.doc, 'predict_with_generate') && truthy(ctx.doc, 'compute_accuracy'),
    message: () => t('`compute_accuracy` scores logits while `predict_with_generate` scores generated text; LLaMA-Factory accepts only one of them.'),
    fixes: [removeFix('compute_accuracy'), removeFix('predict_with_generate')],
  }),
  checkRule({
    code: 'train-dpo-eval-no-ref-model',
    covers: ['R166'],
    severity: WARNING,
    at: ['stage'],
    when: (ctx) => !truthy(ctx.doc, 'do_train') && stageIs('dpo')(ctx) && !isSet(ctx.doc, 'ref_model'),
    message: () => t('Evaluating DPO without `ref_model`: the reward metrics are only meaningful against a reference model; set `ref_model`.'),
  }),
  checkRule({
    code: 'train-resume-cleared',
    covers: ['R173'],
    severity: WARNING,
    at: ['resume_from_checkpoint'],
    related: ['stage', 'finetuning_type'],
    when: (ctx) => stageIs('rm', 'ppo')(ctx) && ['full', 'freeze'].includes(ft(ctx) as string) && isSet(ctx.doc, 'resume_from_checkpoint'),
    message: (ctx) => t('Stage `{0}` with {1} tuning cannot resume; LLaMA-Factory discards `resume_from_checkpoint` and starts from scratch.', String(stageOf(ctx.doc)), String(ft(ctx))),
    fixes: [removeFix('resume_from_checkpoint')],
  }),
  checkRule({
    code: 'train-resume-lora-adapter',
    covers: ['R176'],
    severity: WARNING,
    at: ['resume_from_checkpoint'],
    related: ['stage'],
    when: (ctx) => stageIs('rm', 'ppo')(ctx) && ft(ctx) === 'lora' && isSet(ctx.doc, 'resume_from_checkpoint'),
    message: () => t('For LoRA in stage rm/ppo, resuming this way is not reliable; add the checkpoint folder to `adapter_name_or_path` instead.'),
  }),
  checkRule({
    code: 'train-ppo-reward-api-url',
    covers: ['R264'],
    severity: ERROR,
    at: ['reward_model', 'reward_model_type'],
    onValue: true,
    when: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'api' && !/^https?:\/\//.test(String(argValue(ctx.doc, 'reward_model') ?? '')),
    message: () => t('With `reward_model_type: api`, `reward_model` must be the full http(s) URL of the reward service.'),
  }),
  checkRule({
    code: 'train-ppo-full-reward-tokenizer',
    covers: ['R265'],
    severity: WARNING,
    at: ['reward_model_type'],
    when: (ctx) => stageIs('ppo')(ctx) && argValue(ctx.doc, 'reward_model_type') === 'full',
    message: () => t('A full reward model gets the policy\'s token ids directly: make sure it uses the same tokenizer as the model being trained.'),
  }),
  checkRule({
    code: 'train-ppo-eval-dataset',
    covers: ['R267'],
    severity: ERROR,
    at: (ctx) => [isSet(ctx.doc, 'eval_dataset') ? 'eval_dataset' : 'val_size'],
    related: ['stage'],
    when: (ctx) => stageIs('ppo')(ctx) && (isSet(ctx.doc, 'eval_dataset') || (num(ctx, 'val_size') ?? 0) > 1e-6),
    message: (ctx) => t('The PPO trainer does not evaluate; remove `{0}`.', isSet(ctx.doc, 'eval_dataset') ? 'eval_dataset' : 'val_size'),
    fixes: [removeFix('eval_dataset'), removeFix('val_size')],
  }),
  checkRule({
    code: 'train-ppo-resume',
    covers: ['R267'],
    severity: ERROR,
    at: ['resume_from_checkpoint'],
    related: ['stage'],
    when: (ctx) => stageIs('ppo')(ctx) && !['full', 'freeze'].includes(ft(ctx) as string) && isSet(ctx.doc, 'resume_from_checkpoint'),
    message: () => t('The PPO trainer cannot resume from a checkpoint; remove `resume_from_checkpoint`.'),
    fixes: [removeFix('resume_from_checkpoint')],
  }),
  checkRule({
    code: 'train-unknown-stage',
    covers: ['R212'],
    severity: ERROR,
    commands: ['train', 'chat', 'export', 'eval'],
    at: ['stage'],
    onValue: true,
    when: (ctx) => ctx.doc.byKey.has('stage') && !STAGES.includes(stageOf(ctx.doc) as string),
    message: (ctx) => t('Unknown stage `{0}`; LLaMA-Factory accepts {1}.{2}', String(stageOf(ctx.doc)), STAGES.join(', '), didYouMean(stageOf(ctx.doc), STAGES)),
    fixes: [closestFix('stage', () => STAGES)],
  }),
];

const PPO_LOGGERS = new Set(['wandb', 'tensorboard', 'trackio', 'none']);

/** Loggers written in `report_to` that PPO refuses ("all" depends on what is installed, so it is left alone). */
function ppoUnsupportedLoggers(ctx: RuleContext): string[] {
  const v = ctx.doc.byKey.get('report_to')?.value;
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return items.filter((l) => !PPO_LOGGERS.has(l) && l !== 'all');
}
