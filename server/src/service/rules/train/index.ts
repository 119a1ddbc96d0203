// The rules for rules.md sections 7-11 (get_train_args, get_infer_args,
// get_eval_args, the CLI entry and the early runtime checks) and for the
// files a config references (DeepSpeed JSON, dataset_info.json, output folders).
import type { Rule } from '../rule';
import { commandRules } from './commands';
import { datasetRule } from './datasets';
import { deepspeedRule } from './deepspeed';
import { outputDirRule, tokenizedPathRule } from './folders';
import { ktRules } from './kt';
import { megatronRules } from './megatron';
import { optimizerRules } from './optimizers';
import { precisionRules } from './precision';
import { quantizationRules } from './quantization';
import { reportingRules } from './reporting';
import { stageRules } from './stage';
import { templateRules } from './template';
import { zero3Rules } from './zero3';


export const trainRules: Rule[] = [
  deepspeedRule,
  datasetRule,
  outputDirRule,
  tokenizedPathRule,
  ...stageRules,
  ...quantizationRules,
  ...zero3Rules,
  ...optimizerRules,
  ...precisionRules,
  ...commandRules,
  ...ktRules,
  ...megatronRules,
  ...reportingRules,
  ...templateRules,
];

const ENV = 'decided by environment variables of the launch, which the YAML does not show';
const GPU_COUNT = 'depends on how many processes/GPUs the launch uses (torchrun, FORCE_TORCHRUN), not on the YAML';
const PACKAGES = 'depends on which Python packages are installed where the job runs';
const MODEL = 'depends on the model checkpoint (architecture, config.json, weights), which is not read before launch';
const DEFAULT_ONLY = 'fills in a value the user did not write; nothing written in the YAML changes, so there is nothing to flag';
const LOG_ONLY = 'only logs a message; no behaviour to warn about';

/** R-id → why that row of sections 7-11 has no rule here. */
export const trainUndecidable: Record<string, string> = {
  R105: `${ENV} (USE_MCA / USE_MEGATRON_BRIDGE select the argument parser)`,
  R106: `${ENV} (MCA / Megatron Bridge mode rewrites the generation options)`,
  R107: `${ENV} (LLAMAFACTORY_VERBOSITY)`,
  R117: `${ENV} (USE_MEGATRON_BRIDGE must be set for the bridge arguments to exist)`,
  R118: `${GPU_COUNT} (world size against the parallel layout)`,
  R124: GPU_COUNT,
  R125: GPU_COUNT,
  R133: 'hardware rule (target GPU): pure_bf16 needs a GPU with bf16 support',
  R135: GPU_COUNT,
  R136: GPU_COUNT,
  R137: GPU_COUNT,
  R144: 'hardware rule (target GPU): applies on Ascend NPUs only',
  R151: PACKAGES,
  R152: PACKAGES,
  R153: PACKAGES,
  R154: PACKAGES,
  R155: PACKAGES,
  R158: LOG_ONLY,
  R167: DEFAULT_ONLY,
  R170: DEFAULT_ONLY,
  R172: `${GPU_COUNT}; it also only fills an unset value`,
  R178: `${DEFAULT_ONLY} (the memory estimator accounts for the implied packing)`,
  R179: DEFAULT_ONLY,
  R180: LOG_ONLY,
  R189: 'needs the Accelerate config passed on the launch command line, which the YAML does not name',
  R191: PACKAGES,
  R196: 'not a check of its own: it runs R145-R154, which are covered there',
  R197: DEFAULT_ONLY,
  R200: `${DEFAULT_ONLY}; the checks it runs (R145-R154) are covered there`,
  R201: ENV,
  R202: ENV,
  R203: GPU_COUNT,
  R205: 'concerns the command line (-h), not the YAML',
  R206: ENV,
  R207: 'depends on the Ray cluster',
  R208: 'depends on the Ray cluster',
  R209: PACKAGES,
  R210: PACKAGES,
  R211: PACKAGES,
  R213: 'the YAML cannot say it is meant for `llamafactory-cli export` except through export_dir itself; configs without export_dir are treated as chat/train configs',
  R216: 'the export dtype depends on the checkpoint dtype and the transformers version; nothing the user wrote is contradicted',
  R227: MODEL,
  R228: MODEL,
  R230: MODEL,
  R231: MODEL,
  R232: MODEL,
  R239: MODEL,
  R240: `${MODEL} and on the GPU (hardware rule, target GPU)`,
  R241: MODEL,
  R242: MODEL,
  R243: ENV,
  R244: 'default behaviour (gradient checkpointing on); the memory estimator accounts for it',
  R245: `${PACKAGES} and the model`,
  R247: 'an internal dtype choice for trainable parameters; the memory estimator accounts for it',
  R248: MODEL,
  R249: MODEL,
  R251: MODEL,
  R255: MODEL,
  R256: MODEL,
  R257: MODEL,
  R258: MODEL,
};
