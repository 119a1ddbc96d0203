// Checks of v1 configs decidable from the YAML (v1-format.md, "v1 launch-time
// checks"). Choice and shape checks (flash_attn values, plugin names, missing
// `name`, quantization bits, deepspeed's config_file) are in the v1 schema.
// Not checked: the sub-command (sft/dpo/rm/merge) is not in the file, so the
// DPO/RM context-parallel limit and the one-adapter limit of training are undecidable.
import type { Rule } from '../rule';
import { batchingRules } from './batching';
import { parallelRules } from './parallel';
import { pluginRules } from './plugins';

export const v1Rules: Rule[] = [...batchingRules, ...parallelRules, ...pluginRules];
