// Parameter counts from an architecture: the total, and the decoder linears
// grouped by module name so LoRA targets and quantization can be sized.
import type { Architecture } from './architecture';

/** All instances of one linear module across the model (e.g. every q_proj). */
export interface LinearGroup {
  /** Module name as PEFT sees it (q_proj, down_proj, experts.gate_proj, ...). */
  name: string;
  dIn: number;
  dOut: number;
  /** Instances in the whole model (layers, times experts for routed experts). */
  count: number;
  /** Routed-expert weights: fused 3-D tensors in transformers 5, not nn.Linear. */
  expert: boolean;
}

export interface ParamCounts {
  total: number;
  embedding: number;
  /** 0 when tied to the embedding. */
  lmHead: number;
  /** Decoder linears (quantizable by bitsandbytes, targetable by LoRA). */
  linears: LinearGroup[];
  linearTotal: number;
  /** Everything else: norms, biases, routers, convolutions. */
  other: number;
  /** Parameters of the largest decoder layer (ZeRO-3 gathers one at a time). */
  largestLayer: number;
  /** Parameters a token passes through (MoE: top-k experts only). */
  active: number;
}

function isLinearAttentionLayer(arch: Architecture, index: number): boolean {
  const la = arch.linearAttention;
  return !!la && (index + 1) % la.fullAttentionInterval !== 0;
}

function isMoeLayer(arch: Architecture, index: number): boolean {
  return !!arch.moe && index >= arch.moe.denseLayers;
}

type Add = (name: string, dIn: number, dOut: number, count: number, expert?: boolean) => void;

/** Attention linears and extra parameters of one layer; returns the extras. */
function attention(arch: Architecture, linearLayer: boolean, add: Add): number {
  const { hidden: h, heads: a, kvHeads: kv, headDim: d } = arch;
  const la = arch.linearAttention;
  if (linearLayer && la) {
    const qk = 2 * la.keyHeads * la.keyHeadDim;
    const v = la.valueHeads * la.valueHeadDim;
    add('in_proj_qkvz', h, qk + 2 * v, 1);
    add('in_proj_ba', h, 2 * la.valueHeads, 1);
    add('out_proj', v, h, 1);
    const convKernel = 4;
    return (qk + v) * convKernel + 2 * la.valueHeads + la.valueHeadDim;
  }
  const mla = arch.mla;
  if (mla) {
    const qHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
    let extra = mla.kvLoraRank;
    if (mla.qLoraRank > 0) {
      add('q_a_proj', h, mla.qLoraRank, 1);
      add('q_b_proj', mla.qLoraRank, a * qHead, 1);
      extra += mla.qLoraRank;
    } else {
      add('q_proj', h, a * qHead, 1);
    }
    add('kv_a_proj_with_mqa', h, mla.kvLoraRank + mla.qkRopeHeadDim, 1);
    add('kv_b_proj', mla.kvLoraRank, a * (mla.qkNopeHeadDim + mla.vHeadDim), 1);
    add('o_proj', a * mla.vHeadDim, h, 1);
    return extra;
  }
  // Qwen3-Next full-attention layers project a gate alongside q.
  add('q_proj', h, a * d * (la ? 2 : 1), 1);
  add('k_proj', h, kv * d, 1);
  add('v_proj', h, kv * d, 1);
  add('o_proj', a * d, h, 1);
  let extra = arch.qkvBias ? a * d * (la ? 2 : 1) + 2 * kv * d : 0;
  if (arch.oBias) extra += h + a; // o_proj bias and gpt-oss attention sinks
  if (arch.qkNorm) extra += 2 * d;
  return extra;
}

/** MLP linears and extra parameters of one layer; returns the extras. */
function mlp(arch: Architecture, moeLayer: boolean, add: Add): number {
  const h = arch.hidden;
  const dense = (prefix: string, width: number): void => {
    if (arch.gatedMlp) add(prefix + 'gate_proj', h, width, 1);
    add(prefix + 'up_proj', h, width, 1);
    add(prefix + 'down_proj', width, h, 1);
  };
  const moe = arch.moe;
  if (!moeLayer || !moe) {
    dense('', arch.intermediate);
    return 0;
  }
  const e = moe.experts;
  const ie = moe.expertIntermediate;
  add('experts.gate_proj', h, ie, e, true);
  add('experts.up_proj', h, ie, e, true);
  add('experts.down_proj', ie, h, e, true);
  let extra = h * e; // router
  if (moe.expertBias) extra += e * (2 * ie + h) + e;
  if (moe.sharedIntermediate > 0) {
    dense('shared_expert.', moe.sharedIntermediate);
    // Qwen-MoE gates the shared expert with a scalar per token.
    if (/^qwen/.test(arch.modelType)) extra += h;
  }
  if (/^deepseek_v3|^glm4_moe/.test(arch.modelType)) extra += e; // routing-score correction bias
  return extra;
}

const counted = new WeakMap<Architecture, ParamCounts>();

/** Parameter counts of an architecture (computed once per architecture object). */
export function countParams(arch: Architecture): ParamCounts {
  let counts = counted.get(arch);
  if (!counts) {
    counts = count(arch);
    counted.set(arch, counts);
  }
  return counts;
}

function count(arch: Architecture): ParamCounts {
  const groups = new Map<string, LinearGroup>();
  let other = 0;
  let largestLayer = 0;
  let active = 0;
  for (let index = 0; index < arch.layers; index++) {
    let layerParams = 0;
    let layerActive = 0;
    const add: Add = (name, dIn, dOut, count, expert = false) => {
      const key = `${name}:${dIn}:${dOut}`;
      const g = groups.get(key) ?? { name, dIn, dOut, count: 0, expert };
      g.count += count;
      groups.set(key, g);
      layerParams += dIn * dOut * count;
      layerActive += dIn * dOut * (expert ? arch.moe!.topK : count);
    };
    let extra = attention(arch, isLinearAttentionLayer(arch, index), add);
    extra += mlp(arch, isMoeLayer(arch, index), add);
    extra += arch.normsPerLayer * arch.hidden;
    other += extra;
    layerParams += extra;
    largestLayer = Math.max(largestLayer, layerParams);
    active += layerActive + extra;
  }
  other += arch.hidden; // final norm
  const embedding = arch.vocab * arch.hidden;
  const lmHead = arch.tiedEmbeddings ? 0 : embedding;
  const linears = [...groups.values()];
  const linearTotal = linears.reduce((s, g) => s + g.dIn * g.dOut * g.count, 0);
  return {
    total: embedding + lmHead + linearTotal + other,
    embedding,
    lmHead,
    linears,
    linearTotal,
    other,
    largestLayer,
    active: active + embedding + lmHead + arch.hidden,
  };
}

/** Short module name as written in `lora_target` (experts.gate_proj -> gate_proj). */
export function moduleName(group: LinearGroup): string {
  const dot = group.name.lastIndexOf('.');
  return dot < 0 ? group.name : group.name.slice(dot + 1);
}
