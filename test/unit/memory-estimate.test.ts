import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUDA_CONTEXT_GIB, gpuById, usableMemoryGiB } from '../../server/src/service/hardware/catalog';
import { estimateMemory, type EstimateInput } from '../../server/src/service/memory/estimate';
import { fitToGpu } from '../../server/src/service/memory/fit';
import { reportFor, summaryLine } from '../../server/src/service/memory/report';
import { architectureFromConfig } from '../../server/src/service/models/architecture';
import { countParams } from '../../server/src/service/models/params';
import type { ResolvedModel } from '../../server/src/service/models/resolve';
import { errorRows, fitConstants, H200_SOURCE, leaveOneSourceOut, loadCases, summarize } from '../../bench/memory-calibration';
import { statedFloorGiB } from '../../bench/stated-floor';
import { RANGE_BANDS, shownRange } from '../../server/src/service/memory/range';
import { BENCH_FITTED, LF_TRAITS, stackEstimate } from '../../bench/stacks';
import { calibrationCsv } from '../vendored';

const llama8b = architectureFromConfig({
  model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32,
  num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, tie_word_embeddings: false,
})!;
const model: ResolvedModel = {
  source: 'catalog', id: 'meta-llama/Meta-Llama-3-8B', arch: llama8b,
  paramsB: countParams(llama8b).total / 1e9, approximate: false, detail: 'test',
};
const base = { finetuning_type: 'lora', bf16: true, per_device_train_batch_size: 8, cutoff_len: 2048 };
const est = (config: Record<string, unknown>, extra: Partial<EstimateInput> = {}) =>
  estimateMemory({ config: { ...base, ...config }, model, gpuCount: 1, ...extra });
/** The estimate as a calibration row's stack would run it (bench/stacks.ts). */
const onStack = (config: Record<string, unknown>, traits: Partial<typeof LF_TRAITS>) =>
  stackEstimate({ config: { ...base, ...config }, model, gpuCount: 1 }, { ...LF_TRAITS, ...traits });

test('more tokens need more memory, checkpointing needs less', () => {
  assert.ok(est({ per_device_train_batch_size: 16 }).allocatedGiB > est({}).allocatedGiB);
  assert.ok(est({ cutoff_len: 4096 }).allocatedGiB > est({}).allocatedGiB);
  assert.ok(est({ disable_gradient_checkpointing: true }).allocatedGiB > est({}).allocatedGiB);
});

test('QLoRA < LoRA < full fine-tuning', () => {
  const q = est({ quantization_bit: 4 }).allocatedGiB;
  const l = est({}).allocatedGiB;
  const f = est({ finetuning_type: 'full' }).allocatedGiB;
  assert.ok(q < l && l < f, `${q} ${l} ${f}`);
});

test('FSDP2 holds one decoder layer twice while copying it out of the all-gather buffer; FSDP1 gathers in place', () => {
  const fsdp = (version?: number) => est({ fsdp: 'full_shard auto_wrap', ...(version ? { fsdp_config: { version } } : {}) }, { gpuCount: 2 }).allocatedGiB;
  // Llama-3-8B's decoder layer: 4096 x (4096 + 1024 + 1024 + 4096) attention, 3 x 4096 x 14336 MLP, two norms; bf16.
  const layerGiB = ((4096 * 10240 + 3 * 4096 * 14336 + 2 * 4096) * 2) / 2 ** 30;
  assert.equal(fsdp(1), fsdp());
  assert.ok(Math.abs(fsdp(2) - fsdp(1) - layerGiB) < 0.02, `${fsdp(2)} - ${fsdp(1)} vs ${layerGiB}`);
});

test('bench adapter: an unchunked NF4 conversion can peak at load, before training', () => {
  const short = { quantization_bit: 4, per_device_train_batch_size: 1, cutoff_len: 256 };
  const plain = est(short);
  const load = onStack(short, { unchunkedNf4Load: true });
  assert.ok(load.allocatedGiB > plain.allocatedGiB);
  assert.ok(load.assumptions[0].includes('model load'), load.assumptions[0]);
  assert.ok(load.breakdown.some((b) => b.name === 'quantization temporaries'));
  // Long batches still peak in training, where the load phase changes nothing.
  assert.equal(onStack({ quantization_bit: 4 }, { unchunkedNf4Load: true }).allocatedGiB, est({ quantization_bit: 4 }).allocatedGiB);
});

test('bench adapter: PEFT\'s fp32 upcast of a k-bit model is a load peak that axolotl undoes before training', () => {
  const short = { quantization_bit: 4, per_device_train_batch_size: 1, cutoff_len: 128 };
  const load = onStack(short, { kbitUpcastAtLoad: true });
  assert.ok(load.assumptions[0].includes('model load'), load.assumptions[0]);
  // Llama-3-8B's unquantized weights: two 128256 x 4096 embeddings and 65 norm vectors of 4096,
  // cast from bf16 (2 B) to fp32 (4 B) on top of the loaded model.
  const upcastGiB = (2 * 128256 * 4096 + 65 * 4096) * 2 / 2 ** 30;
  // The adapters do not exist yet at load: rank-8 LoRA on all seven linears of 32 layers
  // (in + out widths 8192 + 5120 + 5120 + 8192 + 3 x 18432), fp32 under bf16 AMP.
  const loraGiB = 32 * 8 * (8192 + 5120 + 5120 + 8192 + 3 * 18432) * 4 / 2 ** 30;
  const weightsAtLoad = load.breakdown.find((b) => b.name === 'weights')!.GiB;
  const weightsInTraining = est(short).breakdown.find((b) => b.name === 'weights')!.GiB;
  const grown = weightsAtLoad - weightsInTraining;
  assert.ok(Math.abs(grown - (upcastGiB - loraGiB)) < 0.01, `${grown} vs ${upcastGiB} - ${loraGiB}`);
  // Long batches peak in training, where the weights are back in bf16: nothing changes.
  assert.equal(onStack({ quantization_bit: 4 }, { kbitUpcastAtLoad: true }).allocatedGiB, est({ quantization_bit: 4 }).allocatedGiB);
});

test('a row below the floor of its own stated settings is listed apart, not scored', () => {
  const llama70b = architectureFromConfig({
    model_type: 'llama', hidden_size: 8192, intermediate_size: 28672, num_hidden_layers: 80,
    num_attention_heads: 64, num_key_value_heads: 8, vocab_size: 32000, tie_word_embeddings: false,
  })!;
  const m70: ResolvedModel = { source: 'catalog', id: 'meta-llama/Llama-2-70b-hf', arch: llama70b, paramsB: 68.98, approximate: false, detail: 'test' };
  // torchtune's "8 x A100, LoRA, Llama2-70B, batch 4, seq 4096" with checkpointing under FSDP:
  // 68.98e9 bf16 weights over 8 ranks (16.06 GiB) + 80 layer inputs of 4 x 4096 x 8192 bf16 (20.0 GiB).
  const floor = statedFloorGiB({
    config: { finetuning_type: 'lora', per_device_train_batch_size: 4, cutoff_len: 4096, packing: true, fsdp: 'full_shard auto_wrap' },
    model: m70, gpuCount: 8,
  }, 1);
  assert.ok(Math.abs(floor - 36.06) < 0.05, String(floor));
  // The table printed 26.4 GB for it: ruled out, so neither scored nor an upper bound.
  const ruledOut = errorRows(loadCases(calibrationCsv)).filter((r) => !r.upperBound && !r.scored).map((r) => r.id);
  assert.ok(ruledOut.includes('m024'), ruledOut.join(','));
  assert.ok(ruledOut.every((id) => /^m0(21|24)$/.test(id)), ruledOut.join(','));
});

test('bench adapter: a half-precision loss under autocast keeps 12 bytes per logit, 8 without it or under DeepSpeed', () => {
  const cfg = { per_device_train_batch_size: 1, cutoff_len: 2048 };
  const logitsGiB = (config: Record<string, unknown>, deepspeed?: unknown): number =>
    stackEstimate({ config: { ...base, ...cfg, ...config }, model, gpuCount: 1, deepspeed }, { ...LF_TRAITS, halfPrecisionLoss: true })
      .breakdown.find((b) => b.name === 'logits and loss')?.GiB ?? NaN;
  const perLogit = (bytes: number) => Math.round((2048 * 128256 * bytes) / 2 ** 30 * 100) / 100;
  // bf16 logits and their shifted copy (2 + 2), autocast's fp32 copy and log-softmax output (4 + 4).
  assert.equal(logitsGiB({ bf16: true }), perLogit(12));
  // DeepSpeed runs the model in bf16 without autocast: shifted copy, log-softmax, two gradients (4 x 2).
  assert.equal(logitsGiB({ bf16: true }, { zero_optimization: { stage: 2 } }), perLogit(8));
  assert.equal(logitsGiB({ bf16: false, pure_bf16: true }), perLogit(8));
});

test('bench adapter: a loop that holds its output through the backward keeps 16 bytes per logit on the legacy path', () => {
  const logitsGiB = (traits: Partial<typeof LF_TRAITS>): number =>
    onStack({ per_device_train_batch_size: 1, cutoff_len: 2048 }, traits).breakdown.find((b) => b.name === 'logits and loss')?.GiB ?? NaN;
  const perLogit = (bytes: number): number => (2048 * 128256 * bytes) / 2 ** 30;
  // transformers >= 4.46: bf16 logits + fp32 log-softmax output + two fp32 gradients.
  assert.ok(Math.abs(logitsGiB({}) - perLogit(14)) < 0.01, `${logitsGiB({})}`);
  // transformers < 4.46 with the output held: fp32 logits + log-softmax output + two gradients.
  const held = logitsGiB({ legacyLoss: true, outputHeldThroughBackward: true });
  assert.ok(Math.abs(held - perLogit(16)) < 0.01, `${held}`);
  // Under the HF Trainer the fitted legacy figure applies instead.
  assert.ok(Math.abs(logitsGiB({ legacyLoss: true }) - perLogit(BENCH_FITTED.legacyLossBytesPerLogit)) < 0.01);
});

test('figures are ordered and the breakdown names the peak parts', () => {
  const e = est({});
  assert.ok(e.lowGiB < e.allocatedGiB && e.allocatedGiB < e.reservedGiB && e.reservedGiB < e.deviceGiB && e.deviceGiB < e.highGiB);
  assert.ok(e.breakdown.some((b) => b.name === 'weights'));
  assert.ok(e.assumptions.length > 0);
  assert.equal(typeof e.dominantKey, 'string');
});

test('ZeRO-3 over 8 GPUs holds less per GPU than one GPU', () => {
  const one = est({ finetuning_type: 'full', per_device_train_batch_size: 1 });
  const eight = est({ finetuning_type: 'full', per_device_train_batch_size: 1 }, { gpuCount: 8, deepspeed: { zero_optimization: { stage: 3 } } });
  assert.ok(eight.allocatedGiB < one.allocatedGiB / 3, `${eight.allocatedGiB} vs ${one.allocatedGiB}`);
});

test('bad values fall back to defaults instead of crashing', () => {
  const e = est({ per_device_train_batch_size: 'many', cutoff_len: -3, lora_target: 42, optim: null });
  assert.ok(Number.isFinite(e.allocatedGiB) && e.allocatedGiB > 0);
});

test('fitToGpu returns fitting change sets that keep the effective batch', () => {
  const input: EstimateInput = { config: { ...base, gradient_accumulation_steps: 2 }, model, gpuCount: 1, gpuSupportsBf16: true };
  const usable = usableMemoryGiB(gpuById('rtx-4090')!);
  assert.ok(estimateMemory(input).reservedGiB > usable);
  const fits = fitToGpu(input, usable);
  assert.ok(fits.length > 0 && fits.length <= 3);
  for (const f of fits) {
    assert.ok(f.estimate.reservedGiB <= usable, f.label);
    const b = Number(f.changes['per_device_train_batch_size'] ?? 8);
    const a = Number(f.changes['gradient_accumulation_steps'] ?? 2);
    assert.equal(b * a, 16, f.label);
  }
});

const GATE = { median: 9, p90: 25 };
test('calibration error, counted as the bench counts it, does not regress', () => {
  // Each run once, upper bounds apart, public rows scored with every fitted
  // constant re-fitted without their source (bench/memory-calibration.ts).
  const cases = loadCases(calibrationCsv);
  // The shipped constants are the bench's fit on every row, run to convergence.
  assert.deepEqual(fitConstants(cases), BENCH_FITTED, 'the shipped constants are not the fit on all rows');
  const { rows, bands } = leaveOneSourceOut(cases);
  const s = summarize(rows.filter((r) => r.source !== H200_SOURCE));
  // The shown range holds the measurement for >= 80 % of rows (issue 14), with each
  // source's range made from the other sources' held-out errors only.
  assert.ok(s.inRange >= 80, `in range ${s.inRange}`);
  // The bands the estimator ships are those the bench computes from today's rows.
  assert.deepEqual(RANGE_BANDS.bands, bands, 'range-bands.json is stale: npm run bench:memory -- --write');
  // Issue 14's targets are a median <= 10 % and p90 <= 25 %; these bounds hold
  // the level reached so far (docs/memory-accuracy.md) so that it only improves.
  // On 264 rows (PEFT's four ZeRO-3/FSDP runs added, two torchtune rows ruled out by
  // their own stated settings) the same counting gives 8.6 / 24.9.
  assert.ok(s.median <= GATE.median, `median ${s.median}`);
  assert.ok(s.p90 <= GATE.p90, `p90 ${s.p90}`);
  assert.ok(s.median < s.readmeMedian && s.median < s.naiveMedian);
});

test('the shown range spans every figure times its held-out error band', () => {
  const band = (low: number, high: number) => ({ low, high, rows: 20 });
  const flat = { allocated: band(0.9, 1.1), reserved: band(0.8, 1.2), device: band(0.95, 1.5) };
  const table = { single: flat, distributed: flat };
  const figures = { allocated: 10, reserved: 12, device: 13 };
  // low: min(10 x 0.9, 12 x 0.8, 13 x 0.95) = 9; high: max(10 x 1.1, 12 x 1.2, 13 x 1.5) = 19.5.
  const r = shownRange(figures, 'single', false, table);
  assert.ok(Math.abs(r.low - 9) < 1e-9 && Math.abs(r.high - 19.5) < 1e-9, JSON.stringify(r));
  // Never narrower than allocated..nvidia-smi, even with bands inside 1.
  const tight = { allocated: band(1, 1), reserved: band(1, 1), device: band(1, 1) };
  const t = shownRange(figures, 'distributed', false, { single: tight, distributed: tight });
  assert.deepEqual(t, { low: 10, high: 13 });
  // A stand-in architecture widens it.
  const a = shownRange(figures, 'single', true, table);
  assert.ok(a.low < r.low && a.high > r.high);
});

test("the lens's free figure is the GPU's usable memory minus the estimate, with one CUDA context", () => {
  const gpu = gpuById('rtx-3090')!;
  const input: EstimateInput = { config: { ...base, per_device_train_batch_size: 1, cutoff_len: 1024 }, model, gpuCount: 1 };
  const r = reportFor(input, gpu);
  const free = Number(/\(([\d.]+) GiB free\)/.exec(summaryLine(r))?.[1]);
  assert.ok(r.fits, summaryLine(r));
  assert.ok(Math.abs(free - (usableMemoryGiB(gpu) - r.reservedGiB)) <= 0.05, `${free} vs ${usableMemoryGiB(gpu)} - ${r.reservedGiB}`);
  // The nvidia-smi figure adds the same context the usable memory leaves out, so both readings agree.
  assert.equal(gpu.usableGiB, null);
  assert.ok(Math.abs(r.deviceGiB - r.reservedGiB - CUDA_CONTEXT_GIB) <= 0.01);
  assert.ok(Math.abs(free - (gpu.memoryGiB - r.deviceGiB)) <= 0.05, `${free} vs ${gpu.memoryGiB} - ${r.deviceGiB}`);
});

test('the estimate reads values as the diagnostics do: a "false" string is truthy, absent keys take schema defaults', () => {
  const fp32 = estimateMemory({ config: { finetuning_type: 'lora' }, model, gpuCount: 1 });
  const quoted = estimateMemory({ config: { finetuning_type: 'lora', bf16: 'false' }, model, gpuCount: 1 });
  const on = estimateMemory({ config: { finetuning_type: 'lora', bf16: true }, model, gpuCount: 1 });
  assert.deepEqual(quoted.breakdown, on.breakdown);
  assert.ok(fp32.allocatedGiB > on.allocatedGiB);
  // No cutoff_len or batch in the YAML: the schema's 2048 tokens x 8 rows, the same as writing them.
  const written = estimateMemory({ config: { finetuning_type: 'lora', bf16: true, cutoff_len: 2048, per_device_train_batch_size: 8 }, model, gpuCount: 1 });
  assert.deepEqual(written.breakdown, on.breakdown);
});
