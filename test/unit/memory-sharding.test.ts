// DeepSpeed and FSDP as the estimator reads and places them. Expected values
// come from the libraries' documented defaults and formulas, not from the
// estimator's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMemory, stepMemory, type EstimateInput } from '../../server/src/service/memory/estimate';
import { shardingPlan } from '../../server/src/service/memory/sharding';
import { architectureFromConfig } from '../../server/src/service/models/architecture';
import { countParams } from '../../server/src/service/models/params';
import type { ResolvedModel } from '../../server/src/service/models/resolve';

const GIB = 2 ** 30;
const llama8b = architectureFromConfig({
  model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32,
  num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, tie_word_embeddings: false,
})!;
const P = countParams(llama8b).total;
const model: ResolvedModel = { source: 'catalog', id: 'meta-llama/Meta-Llama-3-8B', arch: llama8b, paramsB: P / 1e9, approximate: false, detail: 'test' };
const full = { finetuning_type: 'full', bf16: true, per_device_train_batch_size: 1, cutoff_len: 512 };
const input = (config: Record<string, unknown>, extra: Partial<EstimateInput> = {}): EstimateInput => ({ config: { ...full, ...config }, model, gpuCount: 1, ...extra });
const zero = (z: Record<string, unknown>) => ({ zero_optimization: z });

test('DeepSpeed "auto" sizes resolve as transformers does, absent ones take DeepSpeed defaults', () => {
  const auto = shardingPlan({}, zero({ stage: 3, reduce_bucket_size: 'auto', stage3_prefetch_bucket_size: 'auto', stage3_param_persistence_threshold: 'auto' }), 4096);
  assert.equal(auto.buffers?.reduceBucket, 4096 * 4096);
  assert.equal(auto.buffers?.prefetchBucket, Math.floor(0.9 * 4096 * 4096));
  assert.equal(auto.buffers?.persistenceThreshold, 10 * 4096);
  assert.equal(auto.buffers?.overlapComm, true); // stage 3 turns overlap_comm on by default
  const plain = shardingPlan({}, zero({ stage: 2 }), 4096);
  assert.equal(plain.buffers?.reduceBucket, 5e8);
  assert.equal(plain.buffers?.overlapComm, false);
  assert.equal(plain.buffers?.contiguousGradients, true);
  // JSON numbers written as strings ("5e8") and stages out of range are read safely.
  assert.equal(shardingPlan({}, zero({ stage: '9', reduce_bucket_size: '2e8' }), 4096).buffers?.reduceBucket, 2e8);
  assert.equal(shardingPlan({}, zero({ stage: '9' }), 4096).stage, 3);
});

test('offload needs a device other than none, and parameters offload only at stage 3', () => {
  const off = shardingPlan({}, zero({ stage: 2, offload_optimizer: { device: 'cpu' }, offload_param: { device: 'cpu' } }), 4096);
  assert.equal(off.offloadOptimizer, true);
  assert.equal(off.offloadParams, false);
  assert.equal(shardingPlan({}, zero({ stage: 3, offload_optimizer: { device: 'none' } }), 4096).offloadOptimizer, false);
});

test('FSDP options come from the fsdp string or list, offload and version from it or fsdp_config', () => {
  assert.deepEqual(shardingPlan({ fsdp: 'full_shard auto_wrap' }, undefined, 4096), { kind: 'fsdp', stage: 3, offloadOptimizer: false, offloadParams: false, fsdpVersion: 1 });
  // transformers strips the fsdp_ prefix of fsdp_config keys; a JSON string is read as text.
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: { version: 2 } }, undefined, 4096).fsdpVersion, 2);
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: { fsdp_version: 2 } }, undefined, 4096).fsdpVersion, 2);
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: '{"fsdp_version": 2, "offload_params": false}' }, undefined, 4096).fsdpVersion, 2);
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: '{"offload_params": false}' }, undefined, 4096).offloadParams, false);
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: '{"offload_params": true}' }, undefined, 4096).offloadParams, true);
  assert.equal(shardingPlan({ fsdp: ['shard_grad_op', 'auto_wrap'] }, undefined, 4096).stage, 2);
  assert.equal(shardingPlan({ fsdp: 'hybrid_shard' }, undefined, 4096).stage, 3);
  assert.equal(shardingPlan({ fsdp: 'no_shard' }, undefined, 4096).stage, 0);
  assert.equal(shardingPlan({ fsdp: 'full_shard', fsdp_config: { offload_params: true } }, undefined, 4096).offloadParams, true);
  assert.equal(shardingPlan({}, undefined, 4096).kind, 'none');
});

test('ZeRO-3 full fine-tuning on one GPU: model states as stage3.py allocates them, within DeepSpeed\'s own bound', () => {
  const e = estimateMemory(input({}, { deepspeed: zero({ stage: 3 }) }));
  // bf16 weights (2) + fp32 master (4) + Adam moments (8) + bf16 gradient partition (2) per
  // parameter, and at the step one sub_group_size (1e9) group of gradients in fp32
  // (stage3.py _prepare_fp32_grad_for_sub_group).
  const states = (16 * P + 4 * 1e9) / GIB;
  // estimate_zero3_model_states_mem_needs, one GPU: 4 x largest layer + 18 bytes per
  // parameter, which counts fp32 gradients for every parameter at once.
  const bound = (4 * countParams(llama8b).largestLayer + 18 * P) / GIB;
  assert.ok(e.allocatedGiB >= states && e.allocatedGiB <= bound, `${states} <= ${e.allocatedGiB} <= ${bound}`);
});

test('ZeRO-3 over 8 GPUs shards weights, master and Adam states; offload takes them off the GPU', () => {
  const eight = stepMemory(input({}, { gpuCount: 8, deepspeed: zero({ stage: 3 }) }));
  const step = eight.phases['optimizer step'];
  // bf16 weights / 8, plus the small parameters kept whole.
  assert.ok(step.weights >= (2 * P) / 8 && step.weights < (2 * P) / 8 + 0.1 * GIB);
  // fp32 master (4) + fp32 Adam moments (8) per parameter, over 8 ranks.
  assert.ok(Math.abs(step['optimizer states'] - (12 * P) / 8) < 1e6);
  const offloaded = stepMemory(input({}, { gpuCount: 8, deepspeed: zero({ stage: 3, offload_optimizer: { device: 'cpu' }, offload_param: { device: 'cpu' } }) }));
  assert.equal(offloaded.phases['optimizer step']['optimizer states'], 0);
  assert.ok(offloaded.phases['optimizer step'].weights < 0.1 * GIB);
});

test('ZeRO-2 keeps full bf16 weights and shards the gradients and states', () => {
  const two = stepMemory(input({}, { gpuCount: 4, deepspeed: zero({ stage: 2 }) })).phases['optimizer step'];
  assert.ok(Math.abs(two.weights - 2 * P) < 1e6);
  assert.ok(Math.abs(two['optimizer states'] - (12 * P) / 4) < 1e6);
  // bf16 gradient partition + one 5e8-element bf16 bucket (overlap_comm off).
  assert.ok(Math.abs(two.gradients - ((2 * P) / 4 + 5e8 * 2)) < 1e6);
});

test('DDP adds gradient buckets the size of the gradients; FSDP full shard divides everything', () => {
  const one = stepMemory(input({})).phases['optimizer step'];
  const ddp = stepMemory(input({}, { gpuCount: 2 })).phases['optimizer step'];
  assert.equal(ddp.gradients, 2 * one.gradients);
  const fsdp = stepMemory(input({ fsdp: 'full_shard auto_wrap' }, { gpuCount: 8 })).phases['optimizer step'];
  assert.ok(Math.abs(fsdp.weights - one.weights / 8) < 1e6);
  assert.ok(Math.abs(fsdp['optimizer states'] - one['optimizer states'] / 8) < 1e6);
  const offload = stepMemory(input({ fsdp: 'full_shard auto_wrap offload' }, { gpuCount: 8 })).phases['optimizer step'];
  assert.equal(offload.weights + offload['optimizer states'], 0);
});

test('QLoRA under FSDP gathers the packed 4-bit layers, not bf16 copies', () => {
  const lora = { finetuning_type: 'lora', bf16: true, per_device_train_batch_size: 1, cutoff_len: 512 };
  const gathered = (config: Record<string, unknown>) => stepMemory({ config: { ...lora, ...config, fsdp: 'full_shard auto_wrap' }, model, gpuCount: 2 }).phases.backward.activations;
  assert.ok(gathered({ quantization_bit: 4 }) < gathered({}) - countParams(llama8b).largestLayer);
});

test('ZeRO-3 gathers the largest module whole, an embedding larger than a decoder layer included', () => {
  const lora = { finetuning_type: 'lora', lora_target: 'all' };
  const at = (m: ResolvedModel, z: Record<string, unknown>) => estimateMemory({ ...input(lora, { deepspeed: zero({ stage: 3, ...z }) }), model: m }).allocatedGiB;
  const smallVocab = architectureFromConfig({
    model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32,
    num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 32000, tie_word_embeddings: false,
  })!;
  const small: ResolvedModel = { ...model, id: 'llama-8b-32k-vocab', arch: smallVocab, paramsB: countParams(smallVocab).total / 1e9 };
  // A decoder layer: 4096 x (4096 + 1024 + 1024 + 4096) + 3 x 4096 x 14336 + 2 x 4096 = 218.1 M; the
  // embedding is 128256 x 4096 = 525.3 M, or 131.1 M with a 32k vocabulary (then the layer is the largest).
  const layer = 4096 * 10240 + 3 * 4096 * 14336 + 2 * 4096;
  const noPrefetch = { stage3_prefetch_bucket_size: 0 };
  const sharded = (m: ResolvedModel) => at(m, noPrefetch) - (countParams(m.arch).total * 2) / GIB;
  // What differs besides the gathered module: the sharded weights (bf16, one GPU) and the two embeddings' sizes.
  const gatheredGap = sharded(model) - sharded(small);
  assert.ok(Math.abs(gatheredGap - ((128256 * 4096 - layer) * 2) / GIB) < 0.05, String(gatheredGap));
  // stage3_max_live_parameters cannot keep a module from being gathered; prefetch adds its bucket beside it.
  assert.equal(at(model, { stage3_max_live_parameters: 1, ...noPrefetch }), at(model, noPrefetch));
  assert.ok(Math.abs(at(model, {}) - at(model, noPrefetch) - (5e7 * 2) / GIB) < 0.02);
});
