// Defaults of the keys the hardware rules read when a config leaves them out.
import { jsonText, readFacts } from '../lib/facts.mjs';

const KEYS = ['quantization_method', 'double_quantization', 'badam_mode', 'flash_attn', 'tensor_model_parallel_size',
  'pipeline_model_parallel_size', 'context_parallel_size', 'expert_model_parallel_size'];

export function generate(factsDir) {
  const { args } = readFacts(factsDir, 'args.json');
  const defaults = {};
  for (const key of KEYS) {
    const arg = args.find((a) => a.name === key);
    if (arg) defaults[key] = arg.default;
  }
  return { 'server/src/service/facts/hardware-defaults.json': jsonText(defaults) };
}
