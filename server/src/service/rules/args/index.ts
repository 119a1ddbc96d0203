// The argument rules (rules.md sections 1-6: loading the config and the
// __post_init__ checks of every argument dataclass) and, for each row of those
// sections not implemented as a rule, why.
import type { Rule } from '../rule';
import { configFileRules } from './config-files';
import { dataRules } from './data';
import { deprecatedRules } from './deprecated';
import { finetuningRules } from './finetuning';
import { fsdpRules } from './fsdp';
import { loadRules } from './load';
import { modelRules } from './model';
import { otherDataclassRules } from './other-dataclasses';
import { trainingRules } from './training';

export const argsRules: Rule[] = [
  ...loadRules, ...modelRules, ...configFileRules, ...dataRules, ...finetuningRules, ...otherDataclassRules,
  ...trainingRules, ...fsdpRules, ...deprecatedRules,
];

const SCHEMA = 'handled by schema validation (codes unknown-key, duplicate-key, type-mismatch)';
const ENUM = 'a plain choice check: handled by schema validation (enum of allowed values, code type-mismatch)';

export const argsUndecidable: Record<string, string> = {
  R2: 'JSON config files: the service only opens YAML files, so a .json config never reaches these rules',
  R3: 'command-line mode (no config file): there is no file to check',
  R4: SCHEMA,
  R101: 'a missing or unreadable `deepspeed:` file is checked by the DeepSpeed rule (rules/train/deepspeed.ts, deepspeed-file-missing / deepspeed-invalid-json)',
  R102: 'DeepSpeed values that disagree with the YAML are checked by the DeepSpeed rule (rules/train/deepspeed.ts, deepspeed-value-mismatch)',
  R5: 'command-line mode (unknown --args): there is no file to check',
  R6: SCHEMA,
  R7: `${SCHEMA}; the parser types scalars the way OmegaConf does (document.ts, scalars.ts)`,
  R8: `${SCHEMA}; every rule reads values untyped, as LLaMA-Factory receives them`,
  R9: 'concerns key=value overrides typed on the command line, not the file',
  R10: 'concerns command-line override tokens when torchrun re-launches, not values in the file',
  R11: 'environment: installed package versions are not known before launch',
  R12: 'environment: depends on USE_MCA and the installed mcore_adapter package',
  R26: ENUM,
  R28: 'normal behaviour (comma-separated names are split and stripped, lists pass through); dataset names are checked against dataset_info.json by the dataset rules (R222)',
  R29: 'normal behaviour: media_dir falls back to dataset_dir, nothing the user wrote changes',
  R42: ENUM,
  R43: ENUM,
  R44: ENUM,
  R64: ENUM,
  R66: ENUM,
  R70: ENUM,
  R79: 'environment: bf16 support depends on the GPU; the hardware rules decide it for a target GPU',
  R88: 'environment: TF32 support depends on the GPU; the hardware rules decide it for a target GPU',
  R90: 'normal behaviour: fp16/bf16 select the matching accelerate mixed-precision mode, nothing the user wrote changes',
  R100: 'environment: depends on the installed accelerate version',
  R103: 'not a check by itself: the ZeRO-3 flag read from the DeepSpeed JSON feeds the train rules (R129, R132, R134, ...)',
  R104: 'environment: the process group and world size come from the launcher',
};
