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

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (c: Json, key: string): string | undefined => (typeof c[key] === 'string' && c[key] ? (c[key] as string) : undefined);

/**
 * The part of a config that describes the language model, and its model type. Multimodal configs
 * describe it under `text_config` (or `llm_config`, `language_config`); the outer tie flag applies
 * when the inner one is missing.
 */
function languageModel(raw: Json): { c: Json; modelType: string } {
  const inner = raw['text_config'] ?? raw['llm_config'] ?? raw['language_config'];
  const c = isObject(inner) && num(inner, 'hidden_size')
    ? { ...inner, tie_word_embeddings: inner['tie_word_embeddings'] ?? raw['tie_word_embeddings'] }
    : raw;
  return { c, modelType: str(c, 'text_model_type') ?? str(c, 'model_type') ?? str(raw, 'model_type') ?? '' };
}

/** Width, depth, heads and vocabulary under their names across model families; undefined when one is missing. */
function coreSizes(c: Json): { hidden: number; layers: number; heads: number; vocab: number } | undefined {
  const hidden = num(c, 'hidden_size', 'n_embd', 'd_model');
  const layers = num(c, 'num_hidden_layers', 'num_layers', 'n_layer', 'n_layers');
  const heads = num(c, 'num_attention_heads', 'n_head', 'num_heads');
  const vocab = num(c, 'vocab_size', 'padded_vocab_size');
  return hidden && layers && heads && vocab ? { hidden, layers, heads, vocab } : undefined;
}

/** Key/value heads (multi-query configs have one) and the head width. */
function attentionHeads(c: Json, hidden: number, heads: number): { kvHeads: number; headDim: number } {
  const multiQuery = bool(c, 'multi_query') === true ? 1 : undefined;
  return {
    kvHeads: num(c, 'num_key_value_heads', 'multi_query_group_num', 'num_kv_heads') ?? multiQuery ?? heads,
    headDim: num(c, 'head_dim') ?? hidden / heads,
  };
}

/** Per-branch width of the MLP that MoE experts default to. */
function mlpWidth(c: Json, modelType: string, hidden: number): number {
  const written = num(c, 'intermediate_size', 'ffn_hidden_size', 'n_inner') ?? 4 * hidden;
  // Qwen (v1) writes twice the per-branch width into its config.
  return modelType === 'qwen' ? written / 2 : written;
}

function mlaShape(c: Json): MlaShape | undefined {
  const kvLoraRank = num(c, 'kv_lora_rank');
  if (!kvLoraRank) return undefined;
  return {
    qLoraRank: num(c, 'q_lora_rank') ?? 0,
    kvLoraRank,
    qkNopeHeadDim: num(c, 'qk_nope_head_dim') ?? 128,
    qkRopeHeadDim: num(c, 'qk_rope_head_dim') ?? 64,
    vHeadDim: num(c, 'v_head_dim') ?? 128,
  };
}

function linearAttentionShape(c: Json): LinearAttentionShape | undefined {
  const fullAttentionInterval = num(c, 'full_attention_interval');
  if (!fullAttentionInterval || !num(c, 'linear_num_value_heads')) return undefined;
  return {
    fullAttentionInterval,
    keyHeads: num(c, 'linear_num_key_heads') ?? 16,
    valueHeads: num(c, 'linear_num_value_heads') ?? 32,
    keyHeadDim: num(c, 'linear_key_head_dim') ?? 128,
    valueHeadDim: num(c, 'linear_value_head_dim') ?? 128,
  };
}

/** Biases, norms and MLP gating: the config's own flag when it has one, else what the model family does. */
function familyTraits(c: Json, modelType: string): Pick<Architecture, 'tiedEmbeddings' | 'qkvBias' | 'oBias' | 'gatedMlp' | 'normsPerLayer' | 'qkNorm'> {
  return {
    tiedEmbeddings: bool(c, 'tie_word_embeddings') ?? /^gemma/.test(modelType),
    qkvBias: bool(c, 'attention_bias') ?? bool(c, 'add_qkv_bias') ?? bool(c, 'qkv_bias') ?? QKV_BIAS_TYPES.test(modelType),
    oBias: modelType === 'gpt_oss',
    gatedMlp: !UNGATED_MLP_TYPES.test(modelType),
    normsPerLayer: GEMMA_STYLE_NORMS.test(modelType) ? 4 : 2,
    qkNorm: bool(c, 'use_qk_norm') ?? QK_NORM_TYPES.test(modelType),
  };
}

/**
 * Reads a parsed config.json (or catalog entry): the language model's part of it (that part
 * trains and holds the bulk of the memory). Returns undefined when the core sizes are missing.
 */
export function architectureFromConfig(raw: unknown): Architecture | undefined {
  if (!isObject(raw)) return undefined;
  const { c, modelType } = languageModel(raw);
  const core = coreSizes(c);
  if (!core) return undefined;
  const { hidden, layers, heads, vocab } = core;
  const { kvHeads, headDim } = attentionHeads(c, hidden, heads);
  const intermediate = mlpWidth(c, modelType, hidden);
  const arch: Architecture = {
    modelType,
    layers,
    hidden,
    heads,
    kvHeads,
    headDim,
    // Llama 4 interleaves MoE layers with dense ones that are wider than the experts.
    intermediate: modelType === 'llama4' ? (num(c, 'intermediate_size_mlp') ?? intermediate) : intermediate,
    vocab,
    ...familyTraits(c, modelType),
  };
  const moe = moeShape(c, modelType, layers, intermediate);
  const mla = mlaShape(c);
  const linearAttention = linearAttentionShape(c);
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
