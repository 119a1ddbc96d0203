// Generates server/src/service/facts/models.json: the model catalog the VRAM
// estimator resolves names against. Keeps ids, aliases and the architecture
// fields the parameter count and the activation model use; drops sources/notes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// HF config field names copied as they are (one spelling per fact; the
// estimator's config parser reads the same names from a local config.json).
const FIELDS = [
  'model_type', 'text_model_type', 'hidden_size', 'intermediate_size', 'num_hidden_layers',
  'num_attention_heads', 'num_key_value_heads', 'head_dim', 'vocab_size', 'tie_word_embeddings',
  'attention_bias', 'num_experts', 'num_local_experts', 'n_routed_experts', 'num_experts_per_tok',
  'moe_intermediate_size', 'shared_expert_intermediate_size', 'n_shared_experts', 'first_k_dense_replace',
  'decoder_sparse_step', 'mlp_only_layers', 'moe_layer_freq', 'interleave_moe_layer_step',
  'intermediate_size_mlp', 'q_lora_rank', 'kv_lora_rank', 'qk_rope_head_dim', 'qk_nope_head_dim',
  'v_head_dim', 'full_attention_interval', 'linear_num_key_heads', 'linear_num_value_heads',
  'linear_key_head_dim', 'linear_value_head_dim', 'use_qk_norm', 'params_b_reported',
];

export function generate(factsDir) {
  const facts = JSON.parse(readFileSync(join(factsDir, 'models.json'), 'utf8'));
  const models = facts.models.map((m) => {
    const out = { id: m.id };
    if (m.aliases?.length) out.aliases = m.aliases;
    if (m.quantized_variants?.length) out.quantized = m.quantized_variants;
    for (const f of FIELDS) {
      const v = m[f];
      if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      out[f] = v;
    }
    // Sizes taken from a model name ("16B") are rounded; the count test allows that.
    if (/rounded/.test(String(m.source?.params_b_reported ?? ''))) out.params_b_rounded = true;
    return out;
  });
  return { 'server/src/service/facts/models.json': JSON.stringify({ models }, null, 2) + '\n' };
}
