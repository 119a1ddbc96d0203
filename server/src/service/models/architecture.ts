// The architecture facts the VRAM estimator needs, read from a Hugging Face
// config.json (or a catalog entry that uses the same field names).

export interface MoeShape {
  /** Routed experts per MoE layer. */
  experts: number;
  /** Experts each token is routed to. */
  topK: number;
  /** Per-branch width of one routed expert. */
  expertIntermediate: number;
  /** Total per-branch width of the always-on shared expert(s); 0 when none. */
  sharedIntermediate: number;
  /** Decoder layers that keep a dense MLP instead of experts. */
  denseLayers: number;
  /** gpt-oss style biases on expert projections and the router. */
  expertBias: boolean;
}

/** DeepSeek multi-head latent attention (low-rank q and kv projections). */
export interface MlaShape {
  qLoraRank: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/** Qwen3-Next style hybrid: most layers use a linear-attention block. */
export interface LinearAttentionShape {
  /** Every n-th layer keeps full attention. */
  fullAttentionInterval: number;
  keyHeads: number;
  valueHeads: number;
  keyHeadDim: number;
  valueHeadDim: number;
}

export interface Architecture {
  modelType: string;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Per-branch width of the dense MLP. */
  intermediate: number;
  vocab: number;
  tiedEmbeddings: boolean;
  qkvBias: boolean;
  /** Bias on the attention output projection too (gpt-oss). */
  oBias: boolean;
  /** Gated MLP (SwiGLU/GeGLU: gate, up, down) rather than up/down only. */
  gatedMlp: boolean;
  /** RMS/LayerNorm vectors per layer (2 for Llama, 4 for Gemma-2/3). */
  normsPerLayer: number;
  qkNorm: boolean;
  moe?: MoeShape;
  mla?: MlaShape;
  linearAttention?: LinearAttentionShape;
}

type Json = Record<string, unknown>;

function num(c: Json, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = c[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return undefined;
}

function bool(c: Json, key: string): boolean | undefined {
  const v = c[key];
  return typeof v === 'boolean' ? v : undefined;
}

const GEMMA_STYLE_NORMS = /^gemma[23]/;
const QK_NORM_TYPES = /^(qwen3|gemma3|olmo2|olmo3)/;
const QKV_BIAS_TYPES = /^(qwen2|qwen$)/;
const UNGATED_MLP_TYPES = /^(falcon|gpt2|gpt_neox|bloom|opt|phi$|starcoder2|gpt_bigcode)/;

function moeShape(c: Json, modelType: string, layers: number, intermediate: number): MoeShape | undefined {
  const experts = num(c, 'num_local_experts', 'num_experts', 'n_routed_experts');
  if (!experts || experts < 2) return undefined;
  const expertIntermediate = num(c, 'moe_intermediate_size') ?? intermediate;
  const shared =
    num(c, 'shared_expert_intermediate_size') ??
    (num(c, 'n_shared_experts') ?? 0) * expertIntermediate;
  let denseLayers = num(c, 'first_k_dense_replace') ?? 0;
  const onlyMlp = c['mlp_only_layers'];
  if (Array.isArray(onlyMlp)) denseLayers += onlyMlp.length;
  const step = num(c, 'interleave_moe_layer_step', 'decoder_sparse_step', 'moe_layer_freq');
  if (step && step > 1) denseLayers = Math.max(denseLayers, layers - Math.floor(layers / step));
  return {
    experts,
    topK: num(c, 'num_experts_per_tok', 'moe_topk') ?? 2,
    expertIntermediate,
    sharedIntermediate: shared,
    denseLayers: Math.min(denseLayers, layers),
    expertBias: modelType === 'gpt_oss',
  };
}

/**
 * Reads a parsed config.json (or catalog entry). Multimodal configs describe
 * their language model under `text_config`; that part is what trains and holds
 * the bulk of the memory. Returns undefined when the core sizes are missing.
 */
export function architectureFromConfig(raw: unknown): Architecture | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  let c = raw as Json;
  const outerType = typeof c['model_type'] === 'string' ? (c['model_type'] as string) : '';
  const text = c['text_config'] ?? c['llm_config'] ?? c['language_config'];
  if (text && typeof text === 'object' && !Array.isArray(text) && num(text as Json, 'hidden_size')) {
    c = { ...(text as Json), tie_word_embeddings: (text as Json)['tie_word_embeddings'] ?? c['tie_word_embeddings'] };
  }
  const modelType =
    (typeof c['text_model_type'] === 'string' && (c['text_model_type'] as string)) ||
    (typeof c['model_type'] === 'string' && (c['model_type'] as string)) ||
    outerType;
  const hidden = num(c, 'hidden_size', 'n_embd', 'd_model');
  const layers = num(c, 'num_hidden_layers', 'num_layers', 'n_layer', 'n_layers');
  const heads = num(c, 'num_attention_heads', 'n_head', 'num_heads');
  const vocab = num(c, 'vocab_size', 'padded_vocab_size');
  if (!hidden || !layers || !heads || !vocab) return undefined;
  const multiQuery = bool(c, 'multi_query') === true ? 1 : undefined;
  const kvHeads = num(c, 'num_key_value_heads', 'multi_query_group_num', 'num_kv_heads') ?? multiQuery ?? heads;
  const headDim = num(c, 'head_dim') ?? hidden / heads;
  let intermediate = num(c, 'intermediate_size', 'ffn_hidden_size', 'n_inner') ?? 4 * hidden;
  // Qwen (v1) writes twice the per-branch width into its config.
  if (modelType === 'qwen') intermediate /= 2;
  const mlaRank = num(c, 'kv_lora_rank');
  const mla: MlaShape | undefined = mlaRank
    ? {
        qLoraRank: num(c, 'q_lora_rank') ?? 0,
        kvLoraRank: mlaRank,
        qkNopeHeadDim: num(c, 'qk_nope_head_dim') ?? 128,
        qkRopeHeadDim: num(c, 'qk_rope_head_dim') ?? 64,
        vHeadDim: num(c, 'v_head_dim') ?? 128,
      }
    : undefined;
  const interval = num(c, 'full_attention_interval');
  const linearAttention: LinearAttentionShape | undefined =
    interval && num(c, 'linear_num_value_heads')
      ? {
          fullAttentionInterval: interval,
          keyHeads: num(c, 'linear_num_key_heads') ?? 16,
          valueHeads: num(c, 'linear_num_value_heads') ?? 32,
          keyHeadDim: num(c, 'linear_key_head_dim') ?? 128,
          valueHeadDim: num(c, 'linear_value_head_dim') ?? 128,
        }
      : undefined;
  const arch: Architecture = {
    modelType,
    layers,
    hidden,
    heads,
    kvHeads,
    headDim,
    intermediate: modelType === 'llama4' ? (num(c, 'intermediate_size_mlp') ?? intermediate) : intermediate,
    vocab,
    tiedEmbeddings: bool(c, 'tie_word_embeddings') ?? /^gemma/.test(modelType),
    qkvBias:
      bool(c, 'attention_bias') ?? bool(c, 'add_qkv_bias') ?? bool(c, 'qkv_bias') ?? QKV_BIAS_TYPES.test(modelType),
    oBias: modelType === 'gpt_oss',
    gatedMlp: !UNGATED_MLP_TYPES.test(modelType),
    normsPerLayer: GEMMA_STYLE_NORMS.test(modelType) ? 4 : 2,
    qkNorm: bool(c, 'use_qk_norm') ?? QK_NORM_TYPES.test(modelType),
  };
  const moe = moeShape(c, modelType, layers, intermediate);
  if (moe) arch.moe = moe;
  if (mla) arch.mla = mla;
  if (linearAttention) arch.linearAttention = linearAttention;
  return arch;
}

/** Hidden width by model size, following published Llama/Qwen sizes (billions, width). */
const GENERIC_WIDTHS: [number, number][] = [
  [0.7, 1024], [1.5, 2048], [4, 3072], [10, 4096], [20, 5120], [40, 6144], [90, 8192], [200, 12288],
];

/**
 * A Llama-3-like dense decoder of about `paramsB` billion parameters, for
 * models known only by the size in their name (GQA with 8 kv heads, SwiGLU
 * with i = 3.5 h, untied 128k vocabulary). Layers are chosen so the total
 * lands near the size; per layer is about 12.5 h^2 parameters.
 */
export function genericArchitecture(paramsB: number): Architecture {
  const target = Math.max(paramsB, 0.05) * 1e9;
  const vocab = 128256;
  const hidden = GENERIC_WIDTHS.find(([b]) => paramsB <= b)?.[1] ?? 16384;
  const layers = Math.max(2, Math.round((target - 2 * vocab * hidden) / (12.5 * hidden * hidden)));
  const heads = hidden / 128;
  return {
    modelType: 'llama',
    layers,
    hidden,
    heads,
    kvHeads: Math.min(8, heads),
    headDim: 128,
    intermediate: 3.5 * hidden,
    vocab,
    tiedEmbeddings: false,
    qkvBias: false,
    oBias: false,
    gatedMlp: true,
    normsPerLayer: 2,
    qkNorm: false,
  };
}
