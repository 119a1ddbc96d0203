import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { parseConfig } from '../../server/src/service/document';
import { parseNvidiaSmi, parseRocmSmi } from '../../server/src/service/hardware/detect';
import { findGpuDirective, resolveTarget } from '../../server/src/service/hardware/target';
import { defaultSettings } from '../../server/src/service/types';
import { fixture } from './hardware-helpers';

const settings = (gpu: string, gpuCount = 1) => ({ ...defaultSettings, gpu, gpuCount });

test('directive: name, count forms, case, position among leading comments', () => {
  for (const [text, name, count] of [
    ['# llamafactory-gpu: a100-80gb-sxm x4', 'a100-80gb-sxm', 4],
    ['# llamafactory-gpu: a100-80gb-sxm*4', 'a100-80gb-sxm', 4],
    ['#LLAMAFACTORY-GPU:  RTX 4090 ×2 ', 'RTX 4090', 2],
    ['# llamafactory-gpu: mi300x', 'mi300x', undefined],
    ['# llamafactory-gpu: mi300x X 8', 'mi300x', 8],
    ['# title\n\n# llamafactory-gpu: t4\nstage: sft', 't4', undefined],
  ] as const) {
    const d = findGpuDirective(text);
    assert.equal(d?.name, name, text);
    assert.equal(d?.count, count, text);
  }
  assert.equal(findGpuDirective('stage: sft\n# llamafactory-gpu: t4'), undefined, 'only leading comments count');
  const d = findGpuDirective('# llamafactory-gpu: a100 x4')!;
  assert.deepEqual(d.nameRange, { start: { line: 0, character: 20 }, end: { line: 0, character: 24 } });
  assert.deepEqual(d.countRange, { start: { line: 0, character: 26 }, end: { line: 0, character: 27 } });
});

test('directive wins over settings and detection, and a loose name is noted', () => {
  const { doc } = fixture('directive.yaml');
  const r = resolveTarget(doc, settings('t4'), { name: 'NVIDIA L4', count: 1 });
  assert.equal(r.target?.gpu.id, 'a100-80gb-sxm');
  assert.equal(r.target?.count, 4);
  assert.equal(r.target?.source, 'directive');
  assert.match(r.target?.matchNote ?? '', /a100-80gb-sxm/);
  assert.equal(r.status, "Target: NVIDIA A100 80GB SXM4 ×4 (from the file's llamafactory-gpu comment)");
  assert.deepEqual(r.problems, []);
});

test('an unknown directive name is a warning on the name with did-you-mean, and turns checks off', () => {
  const { doc } = fixture('directive-unknown.yaml');
  const r = resolveTarget(doc, settings('t4'));
  assert.equal(r.target, undefined);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p.code, 'hw-unknown-gpu');
  assert.equal(p.severity, DiagnosticSeverity.Warning);
  assert.deepEqual(p.range, { start: { line: 0, character: 20 }, end: { line: 0, character: 24 } });
  assert.match(String(p.message), /Did you mean .*`a100-80gb-sxm`/);
});

test('directive none turns hardware checks off', () => {
  const doc = parseConfig('file:///x.yaml', '# llamafactory-gpu: none\nstage: sft\n');
  const r = resolveTarget(doc, settings('a100'));
  assert.equal(r.target, undefined);
  assert.match(r.status, /off for this file/);
});

test('settings, then detection, then nothing', () => {
  const doc = parseConfig('file:///x.yaml', 'stage: sft\n');
  const s = resolveTarget(doc, settings('NVIDIA L4', 2), { name: 'Tesla T4', count: 1 });
  assert.equal(s.target?.gpu.id, 'l4');
  assert.equal(s.target?.count, 2);
  assert.equal(s.status, 'Target: NVIDIA L4 ×2 (from the GPU setting)');
  assert.equal(resolveTarget(doc, settings('l4'), undefined, 'cli').target?.source, 'cli');
  const d = resolveTarget(doc, settings(''), { name: 'Tesla T4', count: 8 });
  assert.equal(d.target?.gpu.id, 't4');
  assert.equal(d.target?.source, 'detected');
  assert.equal(d.status, 'Target: NVIDIA T4 ×8 (detected on this machine)');
  const none = resolveTarget(doc, settings(''));
  assert.equal(none.target, undefined);
  assert.match(none.status, /^No target GPU: hardware checks are off\. Set one with/);
  assert.match(resolveTarget(doc, settings('zzz')).status, /"zzz" is not a known GPU/);
});

test('nvidia-smi csv output', () => {
  const out = 'NVIDIA A100-SXM4-80GB, 81920 MiB\nNVIDIA A100-SXM4-80GB, 81920 MiB\r\nNVIDIA A100-SXM4-80GB, 81920 MiB\nNVIDIA A100-SXM4-80GB, 81920 MiB\n';
  assert.deepEqual(parseNvidiaSmi(out), { name: 'NVIDIA A100-SXM4-80GB', count: 4, memoryMiB: 81920 });
  assert.deepEqual(parseNvidiaSmi('Tesla T4, 15360 MiB\nNVIDIA L4, 23034 MiB\n'), { name: 'Tesla T4', count: 1, memoryMiB: 15360 });
  assert.deepEqual(parseNvidiaSmi('NVIDIA GeForce RTX 4090, [N/A]\n'), { name: 'NVIDIA GeForce RTX 4090', count: 1 });
  assert.equal(parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."), undefined);
  assert.equal(parseNvidiaSmi('No devices were found'), undefined);
  assert.equal(parseNvidiaSmi(''), undefined);
});

test('rocm-smi --showproductname output', () => {
  const gpu = (i: number, series: string) =>
    `GPU[${i}]\t\t: Card Series: \t\t${series}\nGPU[${i}]\t\t: Card Model: \t\t0x74a1\nGPU[${i}]\t\t: Card Vendor: \t\tAdvanced Micro Devices, Inc. [AMD/ATI]\nGPU[${i}]\t\t: GFX Version: \t\tgfx942\n`;
  const out = `==== ROCm System Management Interface ====\n==== Product Info ====\n${gpu(0, 'AMD Instinct MI300X')}${gpu(1, 'AMD Instinct MI300X')}==== End of ROCm SMI Log ====\n`;
  assert.deepEqual(parseRocmSmi(out), { name: 'AMD Instinct MI300X', count: 2 });
  assert.deepEqual(parseRocmSmi('GPU[0] : Card series: Instinct MI210\n'), { name: 'Instinct MI210', count: 1 });
  assert.deepEqual(parseRocmSmi('GPU[0] : Card model: 0x0c34\nGPU[0] : GFX Version: gfx908\n'), { name: 'gfx908', count: 1 });
  assert.equal(parseRocmSmi('ERROR: No AMD GPUs found'), undefined);
});
