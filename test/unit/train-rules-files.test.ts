// Referenced files: DeepSpeed configs and dataset_info.json found from a
// config nested deep below the checkout root, from a workspace root, inline,
// or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { readDeepSpeed } from '../../server/src/service/context/config-files';
import type { ServiceHost } from '../../server/src/service/types';
import { check, contextFor, fixtures, messageOf } from './train-rules-support';

const checkout = path.join(fixtures, 'checkout');
const nested = path.join(checkout, 'examples/deep/nested/folder/qwen3_lora_sft_ds3.yaml');

/** An in-memory file system: absolute path → content; folders are implied by the paths. */
function memoryHost(files: Record<string, string>, roots: string[] = []): ServiceHost {
  const isDir = (p: string) => Object.keys(files).some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`));
  return {
    readFile: (p) => files[p],
    isDirectory: isDir,
    listDir: (p) => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1).split('/')[0]))],
    searchRoots: () => roots,
    env: () => undefined,
    homeDir: () => '/home/u',
  };
}

const CONFIG = `model_name_or_path: Qwen/Qwen3-4B-Instruct-2507
stage: sft
do_train: true
dataset: my_data,alpaca_en_demo
template: qwen3_nothink
output_dir: saves/x
bf16: true
`;

test('a config three folders down resolves the DeepSpeed JSON and dataset_info.json at the checkout root', () => {
  const ctx = contextFor(nested);
  const ds = readDeepSpeed(ctx);
  assert.ok(ds);
  assert.equal(ds.path, path.join(checkout, 'examples/deepspeed/ds_z3_config.json'));
  assert.equal(ds.stage, 3);
  assert.equal(ds.offloadOptimizer, 'cpu');
  assert.equal(ds.offloadParam, undefined, 'device "none" is no offload');
  // team_chat_v2 exists only in the fixture's dataset_info.json, so it was read.
  assert.deepEqual(check(ctx), []);
});

test('an unknown dataset names the dataset_info.json used and where it was found', () => {
  const text = fs.readFileSync(nested, 'utf8').replace('team_chat_v2', 'team_chat_v3');
  const d = check(contextFor(nested, text)).find((x) => x.code === 'dataset-unknown');
  assert.ok(d);
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.match(messageOf(d), /team_chat_v3/);
  assert.match(messageOf(d), /Did you mean `team_chat_v2`\?/);
  assert.ok(messageOf(d).includes(path.join(checkout, 'data/dataset_info.json')), messageOf(d));
  assert.match(messageOf(d), /parent folder/);
});

test('without any dataset_info.json the built-in list is used and unknown names are warnings', () => {
  const ctx = contextFor('/ws/configs/sft.yaml', CONFIG, memoryHost({}));
  const diags = check(ctx);
  assert.deepEqual(diags.map((d) => [d.code, d.severity]), [['dataset-unknown', DiagnosticSeverity.Warning]]);
  assert.match(messageOf(diags[0]), /`my_data`/);
  assert.match(messageOf(diags[0]), /built-in|LLaMA-Factory's own/);
});

test('typos are errors only in the dataset_info.json the launch reads; unregistered names are warnings', () => {
  const info = JSON.stringify({ my_data: { file_name: 'my.json' }, alpaca_en_demo: { file_name: 'a.json' } });
  const typo = CONFIG.replace('my_data,alpaca_en_demo', 'my_data,alpaca_en_dmo');
  const fromRoot = check(contextFor('/elsewhere/sft.yaml', typo, memoryHost({ '/ws/data/dataset_info.json': info }, ['/ws'])));
  assert.deepEqual(fromRoot.map((d) => [d.code, d.severity]), [['dataset-unknown', DiagnosticSeverity.Warning]]);
  assert.match(messageOf(fromRoot[0]), /search root/);
  const above = check(contextFor('/ws/examples/sft.yaml', typo, memoryHost({ '/ws/data/dataset_info.json': info })));
  assert.deepEqual(above.map((d) => [d.code, d.severity]), [['dataset-unknown', DiagnosticSeverity.Error]]);
  assert.match(messageOf(above[0]), /Did you mean `alpaca_en_demo`\?/);
  const unregistered = check(contextFor('/ws/examples/sft.yaml', CONFIG.replace('my_data', 'medical_qa'), memoryHost({ '/ws/data/dataset_info.json': info })));
  assert.deepEqual(unregistered.map((d) => [d.code, d.severity]), [['dataset-unknown', DiagnosticSeverity.Warning]]);
  assert.match(messageOf(unregistered[0]), /unless it is registered/);
});

test('DeepSpeed given as an inline mapping or a JSON string is read without a file', () => {
  const inline = contextFor('/ws/a.yaml', `${CONFIG.replace('my_data,', '')}deepspeed:\n  zero_optimization:\n    stage: 3\n    offload_param:\n      device: nvme\n`, memoryHost({}));
  assert.equal(readDeepSpeed(inline)?.stage, 3);
  assert.equal(readDeepSpeed(inline)?.offloadParam, 'nvme');
  assert.equal(readDeepSpeed(inline)?.path, undefined);
  const json = contextFor('/ws/a.yaml', `${CONFIG}deepspeed: '{"zero_optimization": {"stage": 2}}'\n`, memoryHost({}));
  assert.equal(readDeepSpeed(json)?.stage, 2);
});

test('DeepSpeed precision that disagrees with the YAML is an error at the deepspeed key, linked to the YAML key', () => {
  const file = path.join(checkout, 'examples/broken/deepspeed-fp16-vs-bf16.yaml');
  const ctx = contextFor(file);
  const d = check(ctx).find((x) => x.code === 'deepspeed-value-mismatch');
  assert.ok(d);
  const entry = ctx.doc.byKey.get('deepspeed')!;
  assert.deepEqual(d.range, entry.keyRange);
  assert.match(messageOf(d), /fp16\.enabled/);
  assert.match(messageOf(d), /"auto"/);
  assert.match(messageOf(d), /parent folder/);
  // bf16 is not linked (its DS value is "auto"); fp16 is not written, so no link at all.
  assert.equal(d.relatedInformation, undefined);
});

test('a missing DeepSpeed file is reported at the value, and nothing else reads it', () => {
  const ctx = contextFor('/ws/a.yaml', `${CONFIG.replace('my_data,', '')}deepspeed: ds/missing.json\npure_bf16: true\n`, memoryHost({}));
  const diags = check(ctx);
  const d = diags.find((x) => x.code === 'deepspeed-file-missing');
  assert.ok(d);
  assert.deepEqual(d.range, ctx.doc.byKey.get('deepspeed')!.valueRange);
  assert.equal(readDeepSpeed(ctx), undefined);
  assert.ok(!diags.some((x) => String(x.code).startsWith('zero3-')));
});

test('bad input in referenced files never throws', () => {
  const host = memoryHost({ '/ws/ds.json': '[1, 2', '/ws/data/dataset_info.json': '"just a string"' });
  for (const ds of ['ds.json', '{not json', '12', '', '{"zero_optimization": "x"}']) {
    const ctx = contextFor('/ws/a.yaml', `${CONFIG}deepspeed: '${ds}'\n`, host);
    assert.doesNotThrow(() => check(ctx));
  }
  const codes = check(contextFor('/ws/a.yaml', CONFIG, host)).map((d) => d.code);
  assert.deepEqual(codes, ['dataset-info-invalid']);
});
