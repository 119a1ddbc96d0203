// Decides whether a YAML file is a LLaMA-Factory config, so that every other
// YAML file in the workspace stays silent. Order: a directive comment on the
// first line, then the content.
import type { ConfigDocument } from './document';
import lists from './facts/lists.json';
import type { ConfigKind } from './types';

/**
 * First-line directive: `# llamafactory: v0`, `# llamafactory: v1` or
 * `# llamafactory: off` (never check this file).
 */
export const DIRECTIVE = /^\s*#\s*llamafactory\s*:\s*(v0|v1|off)\b/i;

const V0_MARKERS = ['stage', 'finetuning_type', 'template', 'do_train', 'do_predict', 'do_eval', 'dataset', 'export_dir', 'infer_backend', 'adapter_name_or_path'];
const V1_MARKERS = ['model_class', 'peft_config', 'kernel_config', 'dist_config', 'train_dataset', 'micro_batch_size', 'quant_config', 'init_config', 'global_batch_size'];

/** Reads the first-line directive, if any. */
export function directiveKind(text: string): ConfigKind | undefined {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  const m = DIRECTIVE.exec(firstLine);
  if (!m) return undefined;
  const v = m[1].toLowerCase();
  return v === 'v0' ? 'llamafactory-v0' : v === 'v1' ? 'llamafactory-v1' : 'other';
}

/**
 * Keys of LLaMA-Factory's own argument groups that other tools' configs also use
 * (PEFT and Axolotl spell LoRA settings the same, transformers' loading options,
 * Hub settings): they weigh nothing as evidence.
 */
const SHARED = new Set([
  'lora_alpha', 'lora_dropout', 'use_dora', 'use_rslora', 'trust_remote_code', 'cache_dir', 'rope_scaling', 'model_revision',
  'hf_hub_token', 'ms_hub_token', 'om_hub_token', 'streaming', 'packing', 'low_cpu_mem_usage', 'use_fast_tokenizer', 'seed',
  'stage', 'template', 'dataset', 'eval_dataset', 'max_length', 'max_new_tokens', 'temperature', 'top_p', 'top_k',
  'num_beams', 'do_sample', 'repetition_penalty', 'length_penalty', 'batch_size', 'task', 'lang', 'n_shot', 'save_dir', 'print_param_status',
]);

/** Keys only LLaMA-Factory's own argument groups define (transformers' TrainingArguments are everyone's). */
const EVIDENCE = new Set(lists.ownKeys.filter((k) => !SHARED.has(k)));
const STAGES = new Set(lists.enums.stage);
const TEMPLATES = new Set(lists.templates.map((t) => t.name));

/** Top-level keys this many pieces of evidence make a file a v0 config even without `model_name_or_path`. */
const EVIDENCE_NEEDED = 3;

/**
 * How strongly the keys say "LLaMA-Factory v0": one point per key only its own
 * argument groups define, and one for `stage` / `template` holding one of its words.
 */
function evidence(doc: ConfigDocument): number {
  let points = 0;
  for (const [key, entry] of doc.byKey) {
    if (EVIDENCE.has(key)) points++;
    else if (key === 'stage' && STAGES.has(entry.value as string)) points++;
    else if (key === 'template' && TEMPLATES.has(entry.value as string)) points++;
  }
  return points;
}

export function classify(text: string, doc: ConfigDocument | undefined): ConfigKind {
  const directed = directiveKind(text);
  if (directed) return directed;
  if (!doc) return 'other';
  const has = (k: string) => doc.byKey.has(k);
  if (has('model') && V1_MARKERS.some(has)) return 'llamafactory-v1';
  if (has('model_name_or_path') && V0_MARKERS.some(has)) return 'llamafactory-v0';
  // A misspelled or foreign model key must not hide a file full of LLaMA-Factory settings.
  if (!has('model') && evidence(doc) >= EVIDENCE_NEEDED) return 'llamafactory-v0';
  return 'other';
}
