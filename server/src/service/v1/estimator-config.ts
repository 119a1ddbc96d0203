// The memory estimator reads v0 keys; this maps a v1 config onto the v0 keys
// that mean the same thing for memory (model, batch, adapter, quantization,
// sharding, precision, checkpointing), using v1's own defaults for what the
// file leaves out.
import type { ConfigDocument } from '../document';
import { argValue } from '../values';
import { pluginBlock, pluginName } from './plugins';

const ATTENTION: Record<string, string> = { eager: 'disabled', sdpa: 'sdpa', flash_attention_2: 'fa2' };

/** Copies `from[key]` to `to[target]` when the block writes it. */
function carry(from: Record<string, unknown>, key: string, to: Record<string, unknown>, target = key): void {
  if (from[key] !== undefined && from[key] !== null) to[target] = from[key];
}

export function v1ToEstimatorConfig(doc: ConfigDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {
    model_name_or_path: argValue(doc, 'model'),
    // The stage is the sub-command, which the file does not say; sft is the common case.
    stage: 'sft',
    do_train: true,
    per_device_train_batch_size: argValue(doc, 'micro_batch_size'),
    cutoff_len: argValue(doc, 'cutoff_len'),
    bf16: argValue(doc, 'bf16'),
    disable_gradient_checkpointing: argValue(doc, 'enable_activation_checkpointing') === false,
    trust_remote_code: argValue(doc, 'trust_remote_code'),
  };
  const attention = argValue(doc, 'flash_attn');
  if (typeof attention === 'string' && ATTENTION[attention]) out.flash_attn = ATTENTION[attention];

  const peft = pluginBlock(doc, 'peft_config') ?? {};
  const method = pluginName(doc, 'peft_config');
  out.finetuning_type = method === 'lora' || method === 'freeze' ? method : 'full';
  carry(peft, 'r', out, 'lora_rank');
  carry(peft, 'lora_alpha', out);
  carry(peft, 'lora_dropout', out);
  carry(peft, 'target_modules', out, 'lora_target');
  carry(peft, 'use_dora', out);
  carry(peft, 'freeze_trainable_layers', out);
  carry(peft, 'freeze_trainable_modules', out);

  const quant = pluginBlock(doc, 'quant_config');
  if (quant) {
    carry(quant, 'quantization_bit', out);
    carry(quant, 'quantization_type', out);
    carry(quant, 'double_quantization', out);
  }

  const dist = pluginBlock(doc, 'dist_config') ?? {};
  const strategy = pluginName(doc, 'dist_config');
  if (strategy === 'deepspeed') carry(dist, 'config_file', out, 'deepspeed');
  if (strategy === 'fsdp2' || strategy === 'fsdpturbo') out.fsdp = dist.offload_params === true ? 'full_shard offload' : 'full_shard';

  if (/(^|,)\s*liger_kernel\s*(,|$)/.test(pluginName(doc, 'kernel_config') ?? '')) out.enable_liger_kernel = true;
  if (pluginName(doc, 'optim_config') === 'muon') out.use_muon = true;
  return out;
}
