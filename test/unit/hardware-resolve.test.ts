import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUDA_CONTEXT_GIB, gpuById, gpuCatalog, recommendedPrecisions, usableMemoryGiB } from '../../server/src/service/hardware/catalog';
import { resolveGpu, suggestGpuIds } from '../../server/src/service/hardware/resolve';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { factsDir } from '../vendored';

test('every catalog id and full name resolves to itself, exactly', () => {
  assert.equal(gpuCatalog.length, (JSON.parse(readFileSync(path.join(factsDir, 'gpus.json'), 'utf8')) as unknown[]).length);
  for (const gpu of gpuCatalog) {
    assert.equal(resolveGpu(gpu.id)?.gpu.id, gpu.id, gpu.id);
    assert.equal(resolveGpu(gpu.id)?.exact, true, gpu.id);
    assert.equal(resolveGpu(gpu.name)?.gpu.id, gpu.id, gpu.name);
  }
});

const forms: [string, string, boolean][] = [
  ['a100', 'a100-80gb-sxm', false],
  ['a100-80gb', 'a100-80gb-sxm', false],
  ['h100-80gb', 'h100-sxm-80gb', false],
  ['4090', 'rtx-4090', true],
  ['rtx4090', 'rtx-4090', true],
  ['RTX 4090', 'rtx-4090', true],
  ['NVIDIA GeForce RTX 4090', 'rtx-4090', true],
  ['Tesla V100-SXM2-32GB', 'v100-32gb', true],
  ['NVIDIA A100-SXM4-80GB', 'a100-80gb-sxm', true],
  ['NVIDIA A100-PCIE-40GB', 'a100-40gb-pcie', true],
  ['NVIDIA H100 80GB HBM3', 'h100-sxm-80gb', false],
  ['NVIDIA H100 PCIe', 'h100-pcie-80gb', true],
  ['NVIDIA H200 NVL', 'h200-nvl-141gb', true],
  ['Tesla T4', 't4', true],
  ['NVIDIA L4', 'l4', true],
  ['NVIDIA L40S', 'l40s', true],
  ['NVIDIA RTX 6000 Ada Generation', 'rtx-6000-ada', true],
  ['NVIDIA RTX A6000', 'rtx-a6000', true],
  ['rtx 3090 ti', 'rtx-3090-ti', true],
  ['AMD Instinct MI300X', 'mi300x', true],
  ['AMD Instinct MI300X VF', 'mi300x', true],
  ['AMD Instinct MI250X/MI250', 'mi250x', true],
  ['AMD Radeon RX 7900 XTX', 'rx-7900-xtx', true],
  ['Apple M2', 'apple-m2', true],
  ['m2 pro', 'apple-m2-pro', true],
  ['Ascend 910B', 'ascend-910b', true],
  ['Ascend910B3', 'ascend-910b', true],
  ['Intel(R) Data Center GPU Max 1550', 'intel-max-1550', true],
  ['gaudi 2', 'gaudi2', true],
  ['gfx908', 'mi100', true],
];

for (const [name, id, exact] of forms) {
  test(`resolves "${name}" to ${id}`, () => {
    const m = resolveGpu(name);
    assert.equal(m?.gpu.id, id);
    assert.equal(m?.exact, exact);
    assert.equal(m?.note !== undefined, !exact, 'a loose match says which GPU was picked');
  });
}

test('an ambiguous name names the candidates and the pick', () => {
  const note = resolveGpu('a100')?.note ?? '';
  assert.match(note, /a100-40gb-pcie/);
  assert.match(note, /a100-80gb-sxm\)/);
});

test('the memory nvidia-smi reports tells memory variants apart', () => {
  assert.equal(resolveGpu('NVIDIA GeForce RTX 3080', { memoryMiB: 10240 })?.gpu.id, 'rtx-3080-10gb');
  assert.equal(resolveGpu('NVIDIA GeForce RTX 3080', { memoryMiB: 10240 })?.exact, true);
  assert.equal(resolveGpu('NVIDIA GeForce RTX 3080')?.gpu.id, 'rtx-3080-12gb');
});

test('unknown names resolve to nothing and get suggestions', () => {
  for (const name of ['', 'NVIDIA', 'foo', 'a1000']) assert.equal(resolveGpu(name), undefined, name);
  assert.ok(suggestGpuIds('a1OO').some((id) => id.startsWith('a100')));
});

test('catalog facts used by the rules', () => {
  const a100 = gpuById('a100-80gb-sxm')!;
  assert.equal(a100.memoryGiB, 80);
  assert.equal(usableMemoryGiB(a100), 79.5);
  assert.equal(usableMemoryGiB(gpuById('a100-40gb-pcie')!), 40 - CUDA_CONTEXT_GIB);
  const m2 = gpuById('apple-m2')!;
  assert.equal(m2.memoryGiB, 24);
  assert.deepEqual(m2.memoryOptionsGiB, [8, 16, 24]);
  assert.equal(usableMemoryGiB(m2, 16), 10.7);
  assert.deepEqual(recommendedPrecisions(gpuById('p100-16gb')!), ['fp16', 'fp32']);
  assert.equal(gpuById('t4')!.bf16, 'emulated');
  assert.equal(gpuById('h100-sxm-80gb')!.bf16, 'native');
});
