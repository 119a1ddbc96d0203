// The built llamafactory-lint, run as users and outside checks run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { v0Examples } from '../corpus';
import { repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'server/out/cli.js');
const good = 'examples/qwen2.5-7b-lora-sft.yaml';
const broken = 'examples/broken-v100.yaml';

function lint(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('text output: one line per diagnostic, 1-based positions, exit 1 on errors', () => {
  const r = lint(broken);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes(`${broken}:10:1 error unknown-key LLaMA-Factory does not know the key \`per_device_train_bacth_size\` and will stop before training. Did you mean \`per_device_train_batch_size\`?`));
  for (const l of lines) assert.match(l, /^examples\/broken-v100\.yaml:\d+:\d+ (error|warning|information|hint) [a-z0-9-]+ \S/);
  assert.ok(!r.stdout.includes('\x1b['), 'no colour when not a TTY');
});

test('a clean config exits 0', () => {
  const r = lint(good);
  assert.equal(r.status, 0);
});

test('JSON output follows the contract, one object per file in argument order', () => {
  const r = lint('--format', 'json', broken, good);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.map((f: { file: string }) => f.file), [broken, good]);
  const [first] = out;
  assert.deepEqual(Object.keys(first).sort(), ['diagnostics', 'estimate', 'file', 'kind', 'launch', 'llamafactory']);
  assert.equal(first.launch, null, 'no launch given or found');
  assert.equal(first.kind, 'llamafactory-v0');
  const d = first.diagnostics.find((x: { code: string }) => x.code === 'unknown-key');
  assert.deepEqual(d.range, { start: { line: 9, character: 0 }, end: { line: 9, character: 27 } });
  assert.equal(d.severity, 'error');
  assert.equal(typeof d.message, 'string');
  for (const x of first.diagnostics) assert.ok(['error', 'warning', 'information', 'hint'].includes(x.severity));
});

test('--launch: the launch object per file, its GPUs in the estimate, its overrides checked', () => {
  const launch = `CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train ${good} learning_rate=2e-5 warmup_ratio=oops`;
  const r = lint('--format', 'json', '--estimate', '--launch', launch, good);
  const [file] = JSON.parse(r.stdout);
  assert.deepEqual(file.launch, { command: launch, source: '--launch', gpus: 2, nodes: 1, distributed: 'ddp', overrides: { learning_rate: 2e-5, warmup_ratio: 'oops' } });
  assert.equal(file.estimate.gpus, 2);
  const bad = file.diagnostics.find((d: { code: string }) => d.code === 'type-mismatch');
  assert.deepEqual(bad.range.start, { line: 0, character: 0 });
  assert.match(bad.message, /override of the launch command, --launch/);
  assert.equal(r.status, 1);
  const text = lint('--estimate', '--launch', launch, good);
  assert.match(text.stdout, /Launched as: llamafactory-cli · DDP · 2 GPUs · 2 overrides \(--launch\)/);
});

test('an unreadable file exits 2 and the other files are still reported', () => {
  const r = lint('--format', 'json', 'does/not/exist.yaml', broken);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read does\/not\/exist\.yaml/);
  assert.deepEqual(JSON.parse(r.stdout).map((f: { file: string }) => f.file), [broken]);
});

test('bad usage exits 2 with the usage text', () => {
  for (const args of [[], ['--format', 'xml', good], ['--gpus', '0', good], ['--bogus', good]]) {
    const r = lint(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /Usage: llamafactory-lint/);
  }
  assert.match(lint('--help').stdout, /--estimate/);
  assert.match(lint('--version').stdout, /^\d+\.\d+\.\d+\n$/);
});

test('--gpu turns the hardware checks on', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
  const file = path.join(dir, 'tf32.yaml');
  writeFileSync(file, 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: alpaca_en_demo\ntemplate: qwen\noutput_dir: out\nreport_to: none\nfp16: true\ntf32: true\n');
  assert.equal(lint(file).status, 0);
  const r = lint('--gpu', 'NVIDIA GeForce RTX 2080 Ti', file);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /hw-tf32-unsupported/);
});

test('hundreds of files in one call', () => {
  const files = Array.from({ length: 4 }, () => v0Examples()).flat();
  assert.ok(files.length >= 250);
  // LLaMA-Factory's own examples at the vendored commit (main).
  const r = lint('--format', 'json', '--lf-version', 'main', ...files);
  assert.equal(r.status, 0, r.stdout.slice(0, 2000));
  assert.equal(JSON.parse(r.stdout).length, files.length);
});

test('--estimate fills the estimate object of the contract', () => {
  const r = lint('--estimate', '--gpu', 'a100-80gb', '--format', 'json', good, 'test/fixtures/core/duplicates.yaml');
  const [first] = JSON.parse(r.stdout);
  const e = first.estimate;
  for (const k of ['gpu', 'gpus', 'allocatedGiB', 'reservedGiB', 'deviceGiB', 'lowGiB', 'highGiB', 'fits', 'breakdown', 'model']) assert.ok(k in e, k);
  assert.deepEqual(e.gpu, { id: 'a100-80gb-sxm', name: 'NVIDIA A100 80GB SXM4', memoryGiB: 80 });
  assert.equal(e.gpus, 1);
  assert.equal(e.fits, true);
  assert.ok(e.lowGiB <= e.allocatedGiB && e.allocatedGiB <= e.reservedGiB && e.reservedGiB <= e.deviceGiB && e.deviceGiB <= e.highGiB);
  for (const b of e.breakdown) assert.ok(typeof b.name === 'string' && typeof b.GiB === 'number');
  assert.deepEqual(Object.keys(e.model).sort(), ['id', 'paramsB', 'source']);
  assert.equal(e.model.source, 'catalog');
  assert.ok(Math.abs(e.model.paramsB - 7.6) < 0.1);
  const text = lint('--estimate', good).stdout;
  assert.match(text, /examples\/qwen2\.5-7b-lora-sft\.yaml: ≈ \d+\.\d GiB \(nvidia-smi\) \/ 24\.0 GiB on GeForce RTX 4090 \(\d+\.\d GiB free\)/);
  assert.match(text, /logits and loss/);
  assert.equal(lint(good).stdout.includes('GiB'), false, 'no estimate without --estimate');
});

test('--locale zh-cn prints Chinese messages; LANG=ko_KR.UTF-8 prints Korean ones', () => {
  const chinese = lint('--locale', 'zh-cn', broken);
  assert.equal(chinese.status, 1);
  assert.ok(chinese.stdout.includes(`${broken}:10:1 error unknown-key LLaMA-Factory 不认识键 \`per_device_train_bacth_size\``), chinese.stdout);
  const env = { ...process.env, NO_COLOR: '1', LC_ALL: '', LC_MESSAGES: '', LANG: 'ko_KR.UTF-8' };
  const korean = spawnSync(process.execPath, [cli, broken], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env });
  assert.equal(korean.status, 1);
  assert.ok(korean.stdout.includes(`${broken}:10:1 error unknown-key LLaMA-Factory는 \`per_device_train_bacth_size\` 키를 알지 못하므로`), korean.stdout);
  const help = spawnSync(process.execPath, [cli, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env });
  assert.match(help.stdout, /^사용법: llamafactory-lint/);
  const usage = lint('--locale=ko', '--gpus', '0', good);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--gpus는 1 이상의 정수여야 합니다/);
});

test('--locale wins over LANG', () => {
  const env = { ...process.env, NO_COLOR: '1', LC_ALL: '', LC_MESSAGES: '', LANG: 'ko_KR.UTF-8' };
  const r = spawnSync(process.execPath, [cli, '--locale', 'en', broken], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env });
  assert.ok(r.stdout.includes('LLaMA-Factory does not know the key `per_device_train_bacth_size`'));
});

test('a dataset_info.json named on the command line is checked as a registry, at 1-based positions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lf-cli-registry-'));
  const file = path.join(dir, 'dataset_info.json');
  writeFileSync(file, '{\n  "pairs": {"file_name": "pairs.json", "ranking": true}\n}\n');
  writeFileSync(path.join(dir, 'pairs.json'), '[]');
  const r = lint('--format', 'json', file);
  assert.equal(r.status, 1, r.stderr);
  const [report] = JSON.parse(r.stdout) as { kind: string; diagnostics: { code: string; severity: string; range: { start: { line: number } } }[] }[];
  assert.equal(report.kind, 'other');
  assert.deepEqual(report.diagnostics.map((d) => [d.range.start.line, d.severity, d.code]), [[1, 'error', 'dataset-info-ranking-columns']]);
});
