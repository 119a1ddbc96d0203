// Maps calibration rows (public measurements and our own H200 runs) to
// estimator input. Each source stack is mapped explicitly; the comments say why.
import { architectureFromConfig, genericArchitecture, type Architecture } from '../server/src/service/models/architecture';
import { countParams } from '../server/src/service/models/params';
import type { ResolvedModel } from '../server/src/service/models/resolve';
import type { EstimateInput, MemoryEstimate } from '../server/src/service/memory/estimate';
import { LF_TRAITS, type StackTraits } from './stacks';
import type { Figure } from '../server/src/service/memory/range';
import { statedFloorGiB } from './stated-floor';


export interface CalibrationCase {
  id: string;
  source: string;
  method: string;
  measuredGiB: number;
  figure: Figure;
  input: EstimateInput;
  /** device_map model parallel: layers split over the GPUs, nothing sharded per rank. */
  splitOver: number;
  /** "Largest context that fits" rows: the measured value is the card's capacity (README: use as upper bounds). */
  upperBound: boolean;
  /**
   * The least GiB the row's stated settings need (bench/stated-floor.ts). A
   * measured row below it is ruled out by its own label: listed apart, never scored.
   */
  floorGiB: number;
  /** single, DDP, ZeRO-n (offload), FSDP (offload), device_map. */
  setup: string;
  /** What the row's stack does differently from LLaMA-Factory. */
  traits: StackTraits;
  /** For the rules of thumb. */
  paramsB: number;
  ruleMethod: 'full' | 'pure_bf16' | 'lora' | 'qlora8' | 'qlora4';
}

export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Architecture from the row's notes ("L32 h4096 a32 kv8 i14336 V128256 untied"), else generic by size. */
function archFromNotes(notes: string, paramsB: number): { arch: Architecture; approximate: boolean } {
  const get = (re: RegExp): number | undefined => {
    const m = re.exec(notes);
    return m ? Number(m[1]) : undefined;
  };
  const L = get(/\bL(\d+)/);
  const h = get(/\bh(\d+)/);
  const a = get(/\ba(\d+)/);
  const i = get(/\bi(\d+)/);
  const vMatch = /V~?(\d+)(k?)/.exec(notes);
  const V = vMatch ? Number(vMatch[1]) * (vMatch[2] ? 1000 : 1) : 32000;
  if (!L || !h || !a || !i || /enc-dec|Mamba/.test(notes)) return { arch: genericArchitecture(paramsB), approximate: true };
  const kv = get(/kv(\d+)/) ?? get(/groups(\d+)/) ?? a;
  const arch = architectureFromConfig({
    model_type: /qkv-bias/.test(notes) ? 'qwen2' : /MHA i\d+ V\d+ tied ALiBi/.test(notes) ? 'bloom' : 'llama',
    num_hidden_layers: L, hidden_size: h, num_attention_heads: a, num_key_value_heads: kv,
    intermediate_size: i, vocab_size: V, tie_word_embeddings: /\btied/.test(notes) && !/untied/.test(notes),
  })!;
  return { arch, approximate: false };
}

/** The kind of figure; when a row names several, its value is the first one named unless a parenthesis says which. */
function figureOf(what: string): Figure {
  // A parenthesis naming the counter qualifies the tool's label: m026 "torchtune peak
  // memory (reserved per QLoRA tutorial)" is the tutorial's max_memory_reserved
  // (9.29 GB = 8.65 GiB, the training figure m035 quotes).
  const qualifier = /\((reserved|alloc\w*|active)\b/i.exec(what);
  if (qualifier) return /reserved/i.test(qualifier[1]) ? 'reserved' : 'allocated';
  const reserved = what.search(/reserved/i);
  const allocated = what.search(/allocated|active|torchtune peak|torch peak/i);
  if (reserved >= 0 && (allocated < 0 || reserved < allocated)) return 'reserved';
  if (allocated >= 0) return 'allocated';
  return 'device'; // unstated, comments, nvidia-smi, "fits in card"
}

/** transformers >= 4.46 (late 2024) stopped upcasting logits in the forward: date the row by its source. */
function legacyTransformers(source: string, stack: string): boolean {
  const date = /\b(20\d\d)-(\d\d)\b/.exec(source);
  if (date) return Number(date[1]) * 12 + Number(date[2]) < 2024 * 12 + 10;
  return ['ms-swift', 'axolotl', 'peft', 'transformers'].includes(stack);
}

/**
 * torchtune README table for Llama-3.2-3B (rows m001-m008): "Techniques are
 * cumulative top-to-bottom", so each row keeps the switches of the rows above.
 * compile enters at m003, chunked cross-entropy at m004.
 */
const TORCHTUNE_LADDER: Record<string, { compile: boolean; chunked: boolean }> = {
  m003: { compile: true, chunked: false },
  ...Object.fromEntries(['m004', 'm005', 'm006', 'm007', 'm008'].map((id) => [id, { compile: true, chunked: true }])),
};
/** torchtune Llama-3.1 README table (m011-m018): chunked CE is the recipes' default loss (m011 notes). */
const TORCHTUNE_CHUNKED_DEFAULT = new Set(['m011', 'm012', 'm013', 'm014', 'm015', 'm016', 'm017', 'm018']);

/** Longest sample actually seen. Unpacked instruction data (alpaca, self-cognition,
 * SlimOrca) rarely reaches its cap: use the cap up to 1024 tokens. */
function sequence(raw: string): { seq: number; packed: boolean } {
  const packed = /packed/.test(raw) && !/unpacked|NOT packed/.test(raw);
  const plain = /^\d+/.exec(raw.trim());
  if (plain && !/</.test(raw)) return { seq: Number(plain[0]), packed: true };
  if (/short/.test(raw)) return { seq: 128, packed: false };
  const cap = /<=\s*(\d+)/.exec(raw);
  return { seq: Math.min(cap ? Number(cap[1]) : 2048, 1024), packed };
}

function optimKey(raw: string, source: string): string {
  const o = raw.toLowerCase();
  // LLaMA-Factory's GaLore/APOLLO take their 8-bit variant from an 8-bit optim.
  if (/galore|apollo|badam/.test(o)) return /8bit/.test(o) ? 'adamw_8bit' : 'adamw_torch';
  if (/paged/.test(o)) return /8bit/.test(o) ? 'paged_adamw_8bit' : 'paged_adamw_32bit';
  if (/8bit|8-bit/.test(o)) return 'adamw_bnb_8bit';
  if (/unstated/.test(o)) return source === 'unsloth' ? 'adamw_8bit' : 'adamw_torch';
  // torchtune's optimizer-in-backward and foreach=False avoid the foreach temporaries.
  if (/fused|in-backward|foreach=false/.test(o)) return 'adamw_torch_fused';
  return 'adamw_torch';
}

/** torchtune's Llama-3.x recipes set `fused: True` on torch.optim.AdamW; the Llama-2 era ones did not. */
function torchtuneFused(model: string): boolean {
  return /Llama-3/i.test(model);
}

function stackOf(source: string): string {
  if (/ms-swift/.test(source)) return 'ms-swift';
  if (/torchtune/.test(source)) return 'torchtune';
  if (/axolotl/.test(source)) return 'axolotl';
  if (/unsloth/.test(source)) return 'unsloth';
  if (/peft/.test(source)) return 'peft';
  if (/transformers/.test(source)) return 'transformers';
  if (/QwenLM\/Qwen\b/.test(source)) return 'qwen';
  if (/AnswerDotAI\/fsdp_qlora/.test(source)) return 'answerai';
  return 'papers';
}

function resolvedFrom(id: string, arch: Architecture, approximate: boolean): ResolvedModel {
  return { source: 'catalog', id, arch, paramsB: countParams(arch).total / 1e9, approximate, detail: 'calibration row' };
}

/**
 * A script comment whose figure is exactly the card named in the gpu column
 * (m275: "80GB" GPUs, 80 GiB) states the hardware the run needs, not a measured
 * peak: a bound, like the README's "fits on" comments.
 */
function cardSizeComment(r: Record<string, string>): boolean {
  const card = /(\d+)\s*GB/i.exec(r['gpu']);
  return /comment/i.test(r['what_measured']) && !!card && Number(card[1]) === Number(r['reported_value']);
}

type Row = Record<string, string>;
type Settings = Record<string, unknown>;

/** finetuning_type and the memory-saving optimizers named in the method or optimizer column. */
function methodSettings(r: Row): Settings {
  const method = r['method'].toLowerCase();
  const technique = `${method} ${r['optimizer'].toLowerCase()}`;
  const c: Settings = { finetuning_type: method.startsWith('full') ? 'full' : 'lora' };
  if (/badam/.test(technique)) c['use_badam'] = true;
  if (/galore/.test(technique)) {
    c['use_galore'] = true;
    c['galore_rank'] = Number(/rank (\d+)/.exec(r['lora_target'])?.[1] ?? 128);
    c['galore_layerwise'] = /per.layer/.test(technique);
  }
  if (/apollo/.test(technique)) Object.assign(c, { use_apollo: true, apollo_rank: 1, apollo_layerwise: true });
  if (/lisa/.test(method)) Object.assign(c, { finetuning_type: 'freeze', freeze_trainable_layers: 2 });
  return c;
}

/** bitsandbytes rows set quantization_bit; GPTQ checkpoints are recognised by the name suffix. */
function quantSettings(r: Row, stack: string): { c: Settings; modelSuffix: string } {
  const quant = r['quant_bits'].toLowerCase();
  if (/gptq-int4/.test(quant)) return { c: {}, modelSuffix: '-GPTQ-Int4' };
  if (/gptq-int8/.test(quant)) return { c: {}, modelSuffix: '-GPTQ-Int8' };
  if (/nf4|int4/.test(quant)) {
    // axolotl's recipes state their double quantization setting in the column.
    const double = /nf4/.test(quant) && stack !== 'axolotl' ? { double_quantization: true } : {};
    return { c: { quantization_bit: 4, ...double }, modelSuffix: '' };
  }
  if (/int8/.test(quant)) return { c: { quantization_bit: 8 }, modelSuffix: '' };
  return { c: {}, modelSuffix: '' };
}

/**
 * ms-swift, axolotl, torchtune, PEFT and unsloth load bf16 weights and never
 * upcast trainable params (HF Trainer / torchtune: bf16 AdamW states), which is
 * LLaMA-Factory's pure_bf16; only rows stating fp32 masters map to `bf16`.
 */
function precisionSettings(r: Row, stack: string, method: unknown): Settings {
  const precision = r['precision'].toLowerCase();
  if (/fp32/.test(precision) && !/fp32 states|no fp32/.test(precision)) return {};
  if (/fp16 weights \+ fp32/.test(precision)) return { fp16: true };
  if (stack === 'papers' && /bf16 compute/.test(precision)) return { pure_bf16: true };
  // axolotl's full fine-tuning is the HF Trainer on a bf16-loaded model: no upcast either.
  const upcasting = stack !== 'torchtune' && stack !== 'ms-swift' && !(stack === 'axolotl' && method === 'full');
  if (/^bf16$|fp16\/bf16/.test(precision) && upcasting) return { bf16: true };
  return { pure_bf16: true };
}

/**
 * PEFT README's bloomz-7b1 rows (m240, m241) come from the causal-LM example whose
 * default model it is (examples/causal_language_modeling/
 * peft_lora_clm_accelerate_ds_zero3_offload.py at 207d29086): `max_length = 64`,
 * and every sample is left-padded and truncated to exactly that length.
 */
const PEFT_CLM_EXAMPLE: Settings = { cutoff_len: 64, packing: true };

/**
 * torchtune Llama-3.1 table, A6000 column (m012): settings unstated; its notes
 * read it as the recipe without activation checkpointing, and only the recipe's
 * default optimizer (PagedAdamW8bit in backward, m011 notes) fits 8B full
 * fine-tuning in 48 GB.
 */
const ROW_SETTINGS: Record<string, { c: Settings; optimizerInBackward: boolean }> = {
  m012: { c: { optim: 'paged_adamw_8bit', disable_gradient_checkpointing: true }, optimizerInBackward: true },
  ...Object.fromEntries(['m240', 'm241'].map((id) => [id, { c: PEFT_CLM_EXAMPLE, optimizerInBackward: false }])),
};

function optimizerSettings(r: Row, stack: string): Settings {
  let optim = optimKey(r['optimizer'], stack);
  if (stack === 'torchtune' && optim === 'adamw_torch' && torchtuneFused(r['model'])) optim = 'adamw_torch_fused';
  return { optim };
}

/** Micro-batch, accumulation and sequence length. */
function batchSettings(r: Row): Settings {
  const c: Settings = {};
  // ms-swift's benchmark accumulates 16 micro-batches, so gradients stay resident through each forward.
  const accumulation = /gradient_accumulation (\d+)/.exec(r['notes']);
  if (accumulation) c['gradient_accumulation_steps'] = Number(accumulation[1]);
  const batch = Number(r['batch_size']);
  c['per_device_train_batch_size'] = Number.isFinite(batch) && batch > 0 ? batch : 1;
  const { seq, packed } = sequence(r['seq_len']);
  c['cutoff_len'] = seq;
  if (packed) c['packing'] = true;
  return c;
}

/** Checkpointing, attention kernel, fused or chunked loss and torch.compile. */
function kernelSettings(r: Row): Settings {
  const c: Settings = {};
  const gc = r['grad_ckpt'].toLowerCase();
  if (/^false|probably false/.test(gc)) c['disable_gradient_checkpointing'] = true;
  if (/act-offload/.test(gc)) c['use_unsloth_gc'] = true;
  // Only the Unsloth column runs unsloth's kernels; its HF columns are plain transformers.
  if (/unsloth/.test(gc)) c['use_unsloth'] = true;
  const fa = r['flash_attn'].toLowerCase();
  c['flash_attn'] = /eager/.test(fa) ? 'disabled' : /fa2|unsloth/.test(fa) ? 'fa2' : 'sdpa';
  const notes = r['notes'];
  const own = notes.split('Row:').pop() ?? '';
  const ladder = TORCHTUNE_LADDER[r['id']];
  // Fused / chunked losses: torchtune chunked CE, Liger, Cut-Cross-Entropy.
  const chunked = ladder
    ? ladder.chunked
    : TORCHTUNE_CHUNKED_DEFAULT.has(r['id']) || (/chunked|liger|cut.cross|\bcce\b/i.test(notes) && !/no chunked|standard CE|no CCE|w\/o CCE/i.test(own));
  if (chunked) c['enable_liger_kernel'] = true;
  if (ladder ? ladder.compile : /compile/i.test(notes) && !/no compile/i.test(own)) c['torch_compile'] = true;
  return c;
}

function loraSettings(r: Row, stack: string): Settings {
  const lora = r['lora_target'].toLowerCase();
  // A column naming its *_proj modules (Answer.AI's rows leave o_proj out) is passed as written.
  const named = lora.match(/\b[a-z]+_proj\b/g);
  const c: Settings = {
    lora_rank: Number(r['lora_rank']) || 8,
    lora_target: named && named.length > 1 ? named.join(',')
      : /all|mlp/.test(lora) ? 'all' : /q,v|qkv|c_attn|query_key_value|default/.test(lora) ? 'q_proj,k_proj,v_proj' : 'all',
  };
  if (/dropout 0\.(0[5-9]|[1-9])/.test(r['notes'] + r['lora_target']) || stack === 'ms-swift') c['lora_dropout'] = 0.05;
  // PEFT modules_to_save on the embeddings: LLaMA-Factory's additional_target.
  if (/modules_to_save/.test(lora)) c['additional_target'] = 'embed_tokens,lm_head';
  return c;
}

/**
 * QwenLM/Qwen finetune/ds_config_zero2.json (2e8-element buckets, overlap_comm)
 * and its ZeRO-3 file, which uses transformers' "auto" sizes.
 */
const QWEN_DEEPSPEED: Record<string, Record<string, unknown>> = {
  ds_config_zero2: { overlap_comm: true, reduce_bucket_size: 2e8, allgather_bucket_size: 2e8, contiguous_gradients: true },
  ds_config_zero3: {
    overlap_comm: true, contiguous_gradients: true, sub_group_size: 1e9, reduce_bucket_size: 'auto',
    stage3_prefetch_bucket_size: 'auto', stage3_param_persistence_threshold: 'auto', stage3_max_live_parameters: 1e9,
  },
};

/** DeepSpeed JSON, `fsdp` keys, or device_map model parallel over the row's GPUs. */
function shardingSettings(r: Row): { c: Settings; deepspeed?: unknown; splitOver: number; n: number } {
  const n = Math.max(1, Number(r['n_gpus']) || 1);
  const zero = r['zero_stage'];
  const cpu = /cpu/.test(r['offload'].toLowerCase());
  if (/^[123]$/.test(zero)) {
    const z: Record<string, unknown> = { stage: Number(zero), ...QWEN_DEEPSPEED[/ds_config_zero\d/.exec(r['optimizer'])?.[0] ?? ''] };
    if (cpu) { z['offload_optimizer'] = { device: 'cpu' }; if (zero === '3') z['offload_param'] = { device: 'cpu' }; }
    return { c: {}, deepspeed: { zero_optimization: z }, splitOver: 1, n };
  }
  // FSDP's NO_SHARD (Answer.AI's `--sharding_strategy ddp`) replicates like DDP.
  const strategy = /no_shard/i.test(zero) ? 'no_shard' : 'full_shard';
  // ms-swift's fsdp2_lora example runs PyTorch's fully_shard (FSDP2).
  const version = /fsdp2/i.test(zero) ? { fsdp_config: { version: 2 } } : {};
  if (/fsdp/i.test(zero)) return { c: { fsdp: `${strategy} auto_wrap` + (cpu ? ' offload' : ''), ...version }, splitOver: 1, n };
  if (/device_map/.test(zero)) return { c: {}, splitOver: n, n: 1 };
  return { c: {}, splitOver: 1, n };
}

function ruleMethodOf(c: Settings, quant: string): CalibrationCase['ruleMethod'] {
  if (c['quantization_bit'] === 8 || /int8/.test(quant)) return 'qlora8';
  if (c['quantization_bit'] === 4 || /int4/.test(quant)) return 'qlora4';
  if (c['finetuning_type'] !== 'full' || c['use_badam'] || c['use_galore'] || c['use_apollo']) return 'lora';
  return c['pure_bf16'] ? 'pure_bf16' : 'full';
}

/** What the row's stack does that LLaMA-Factory does not (bench/stacks.ts applies it). */
function traitsOf(r: Row, stack: string, c: Settings): StackTraits {
  const quant = r['quant_bits'].toLowerCase();
  return {
    legacyLoss: legacyTransformers(r['source'], stack),
    // Answer.AI's train.py keeps `output` until after `loss.backward()`; the HF Trainer's compute_loss drops it.
    outputHeldThroughBackward: stack === 'answerai',
    // Qwen(1)'s modeling_qwen.py takes the cross-entropy of the bf16 logits.
    halfPrecisionLoss: stack === 'qwen',
    optimizerInBackward: ROW_SETTINGS[r['id']]?.optimizerInBackward ?? /in-backward|in_bwd/.test(r['optimizer']),
    // axolotl's QLoRA recipes call prepare_model_for_kbit_training (README of the calibration data).
    kbitUpcastAtLoad: stack === 'axolotl' && c['quantization_bit'] !== undefined,
    // torchtune's Llama-2 QLoRA recipes (m019, m026, m035) predate torchao's chunked NF4
    // conversion; m035's notes: "model init alone: 9.13 GB" reserved, above training's
    // allocated peak. The Llama-3.x rows come from later releases.
    unchunkedNf4Load: stack === 'torchtune' && /nf4/.test(quant) && /Llama-2/i.test(r['model']),
  };
}

/** README: "fits on" comments are bounds, like the largest-context rows. */
function isUpperBound(r: Row): boolean {
  return /max context|fits on|fitting/i.test(r['what_measured']) || /fits-on statement/i.test(r['notes']) || cardSizeComment(r);
}

/** One public row of the calibration measurements. */
export function publicCase(r: Row): CalibrationCase {
  const stack = stackOf(r['source']);
  const paramsB = Number(r['params_b']);
  const { arch, approximate } = archFromNotes(r['arch_notes'], paramsB);
  const method = methodSettings(r);
  const quant = quantSettings(r, stack);
  const sharding = shardingSettings(r);
  const c: Settings = {
    ...method,
    ...quant.c,
    ...precisionSettings(r, stack, method['finetuning_type']),
    ...optimizerSettings(r, stack),
    ...batchSettings(r),
    ...kernelSettings(r),
    ...(method['finetuning_type'] === 'lora' ? loraSettings(r, stack) : {}),
    ...sharding.c,
    ...ROW_SETTINGS[r['id']]?.c,
  };
  const input: EstimateInput = { config: c, model: resolvedFrom(r['model'] + quant.modelSuffix, arch, approximate), gpuCount: sharding.n, deepspeed: sharding.deepspeed };
  return {
    id: r['id'],
    source: stack,
    method: r['method'].toLowerCase().split(' ')[0],
    setup: setupOf(r['zero_stage'], r['offload'], sharding.n * sharding.splitOver),
    measuredGiB: Number(r['measured_peak_gib']),
    figure: figureOf(r['what_measured']),
    input,
    traits: traitsOf(r, stack, c),
    upperBound: isUpperBound(r),
    floorGiB: statedFloorGiB(input, sharding.splitOver),
    splitOver: sharding.splitOver,
    paramsB,
    ruleMethod: ruleMethodOf(c, r['quant_bits'].toLowerCase()),
  };
}

/** The distributed setup a row ran under, for the per-setup table. */
function setupOf(zero: string, offload: string, gpus: number): string {
  const cpu = /cpu/i.test(offload);
  if (/^3$/.test(zero)) return cpu ? 'ZeRO-3 offload' : 'ZeRO-3';
  if (/^[12]$/.test(zero)) return `ZeRO-${zero}` + (cpu ? ' offload' : '');
  if (/fsdp/i.test(zero) && /no_shard/i.test(zero)) return 'DDP';
  if (/fsdp/i.test(zero)) return cpu ? 'FSDP offload' : 'FSDP';
  if (/device_map/i.test(zero)) return 'device_map';
  return gpus > 1 ? 'DDP' : 'single';
}

const H200_ARCH: Record<string, Record<string, unknown>> = {
  'qwen2-0.5b-like': { model_type: 'qwen2', num_hidden_layers: 24, hidden_size: 896, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936, tie_word_embeddings: true },
  'qwen2-1.5b-like': { model_type: 'qwen2', num_hidden_layers: 28, hidden_size: 1536, num_attention_heads: 12, num_key_value_heads: 2, intermediate_size: 8960, vocab_size: 151936, tie_word_embeddings: true },
};

/**
 * One of our H200 runs, counted once: scored on its reserved peak (what must
 * fit on the card); the allocated peak of the same run is not a second row.
 * Settings are LLaMA-Factory's already.
 */
export function h200Case(r: Record<string, string>): CalibrationCase | undefined {
  if (r['status'] !== 'ok') return undefined;
  const arch = architectureFromConfig(H200_ARCH[r['model']])!;
  const c: Record<string, unknown> = {
    finetuning_type: r['method'],
    [r['precision'] === 'pure_bf16' ? 'pure_bf16' : 'bf16']: true,
    optim: 'adamw_torch_fused',
    per_device_train_batch_size: Number(r['batch_size']),
    cutoff_len: Number(r['seq_len']),
    flash_attn: 'sdpa',
  };
  if (r['grad_ckpt'] === 'False') c['disable_gradient_checkpointing'] = true;
  const input: EstimateInput = { config: c, model: resolvedFrom(r['model'], arch, false), gpuCount: 1 };
  const ruleMethod: CalibrationCase['ruleMethod'] = r['method'] === 'lora' ? 'lora' : r['precision'] === 'pure_bf16' ? 'pure_bf16' : 'full';
  return {
    id: `h200-${r['model']}-${r['method']}-${r['precision']}-gc${r['grad_ckpt']}-${r['seq_len']}x${r['batch_size']}`,
    source: 'h200 (ours)', method: r['method'], setup: 'single', traits: LF_TRAITS,
    measuredGiB: Number(r['reserved_peak_gib']), figure: 'reserved',
    input,
    splitOver: 1, upperBound: false, floorGiB: statedFloorGiB(input, 1), paramsB: Number(r['params_b']), ruleMethod,
  };
}

/** A measurement its own stated settings allow: not a bound, and not below the floor those settings need. */
export function isScored(k: CalibrationCase): boolean {
  return !k.upperBound && k.measuredGiB >= k.floorGiB;
}

export function pick(e: MemoryEstimate, figure: Figure): number {
  return figure === 'allocated' ? e.allocatedGiB : figure === 'reserved' ? e.reservedGiB : e.deviceGiB;
}

/**
 * The row's figure for the busiest GPU. device_map model parallel splits the
 * layers evenly, but the last GPU also holds the whole logits and loss (ms-swift
 * rows report the larger of the two GPUs: m174 "61.34+73.00; value=max"), and
 * every GPU has its own CUDA context.
 */
export function busiestGpu(k: CalibrationCase, e: MemoryEstimate): number {
  const total = pick(e, k.figure);
  if (k.splitOver <= 1) return total;
  const part = (name: string): number => e.breakdown.find((b) => b.name.startsWith(name))?.GiB ?? 0;
  const perGpu = part('logits and loss') + (k.figure === 'device' ? part('CUDA context') : 0);
  return (total - perGpu) / k.splitOver + perGpu;
}

const GB_TO_GIB = 1e9 / 2 ** 30;
const README_MULTIPLIER: Record<CalibrationCase['ruleMethod'], number> = { full: 18, pure_bf16: 8, lora: 2, qlora8: 1, qlora4: 0.5 };

/** LLaMA-Factory README: one multiple of the size per method, in GB. */
export function readmeRule(k: CalibrationCase): number {
  return (README_MULTIPLIER[k.ruleMethod] * k.paramsB * GB_TO_GIB) / k.splitOver;
}

/** Weights + gradients + Adam states: 16 B per trainable parameter (mixed precision), frozen weights at their storage size. */
export function naiveRule(k: CalibrationCase): number {
  const total = k.paramsB * 1e9;
  const full = k.ruleMethod === 'full' || k.ruleMethod === 'pure_bf16';
  const frozenBytes = k.ruleMethod === 'qlora4' ? 0.5 : k.ruleMethod === 'qlora8' ? 1 : 2;
  const bytes = full ? total * 16 : total * frozenBytes + total * 0.005 * 16;
  return bytes / 2 ** 30 / k.splitOver / (k.input.gpuCount > 1 && k.input.deepspeed ? k.input.gpuCount : 1);
}
