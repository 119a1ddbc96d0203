// Mistakes users make in the field that no single LLaMA-Factory check names:
// a config without its model key, Python types the YAML hides, and settings
// that disagree with the model. (Names from other tools are explained where
// unknown keys are, schema/foreign.ts; data that does not suit the stage is
// part of the dataset rule, train/datasets.ts.)
import type { Rule } from '../rule';
import { fp16OnBf16Model, loraTargetModules, templateForModel } from './model-fit';
import { modelKeyMissing } from './model-key';
import { commaStringList, floatForInt, noneString } from './python-types';

export const fieldRules: Rule[] = [modelKeyMissing, floatForInt, noneString, commaStringList, loraTargetModules, templateForModel, fp16OnBf16Model];

/** The kinds of field mistakes, their codes and what their fixes do (for docs/rules-coverage.md). */
export const fieldKinds: readonly { kind: string; codes: readonly string[]; fix: string }[] = [
  {
    kind: 'Names from other tools (Axolotl, TRL, PEFT, Unsloth, transformers, Hugging Face scripts)',
    codes: ['foreign-key', 'foreign-value'],
    fix: 'yes: the LLaMA-Factory key with the value translated (`adapter: qlora` → `finetuning_type: lora` + `quantization_bit: 4`, a module list → a comma string, scheduler / attention / quantization / optimizer words); safe except where facts/foreign-names.json marks the name approximate (`wandb_project`, `dataset_prepared_path`, `chat_template`, dtype names, `block_size`, `one_cycle`, ...); none for `datasets`, `dataset_name`, `dataset_text_field` (they need a dataset_info.json entry)',
  },
  {
    kind: 'A config recognised by the weight of its keys, its model key misspelled or missing',
    codes: ['unknown-key', 'model-key-missing'],
    fix: 'misspelled: yes, the rename (did-you-mean); missing: no (only the user can name the model)',
  },
  {
    kind: 'Python types the YAML hides',
    codes: ['python-float-for-int', 'python-none-string', 'python-comma-string-list', 'string-number', 'string-boolean'],
    fix: 'yes, safe: the int written without the fraction, `null` for the word None, a comma string of loggers as a YAML list, the value unquoted',
  },
  {
    kind: 'The model and the config disagree',
    codes: ['lora-target-not-in-model', 'template-model-mismatch', 'fp16-on-bf16-model'],
    fix: 'yes, not safe (they change what trains): the architecture\'s names for the same roles or `all`; the registered template; bf16 (offered only where the target GPU has bf16)',
  },
  {
    kind: 'The data and the stage disagree',
    codes: ['dataset-corpus-under-sft', 'dataset-stage-mismatch'],
    fix: 'yes, not safe: the stage the dataset was made for (`pt`, `dpo`, `sft`)',
  },
];
