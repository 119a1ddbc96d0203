import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../server/src/service/document';
import { analyzeText } from '../helpers';

const kind = (text: string) => parseConfig('file:///x.yaml', text).kind;

test('content decides whether a YAML file is a LLaMA-Factory config', () => {
  assert.equal(kind('model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\n'), 'llamafactory-v0');
  assert.equal(kind('model_name_or_path: x\ntemplate: qwen\n'), 'llamafactory-v0');
  assert.equal(kind('model: Qwen/Qwen3-4B\npeft_config:\n  name: lora\n'), 'llamafactory-v1');
  assert.equal(kind('name: ci\non: [push]\njobs: {}\n'), 'other');
  assert.equal(kind('model_name_or_path: x\n'), 'other');
});

test('a first-line directive overrides the content', () => {
  assert.equal(kind('# llamafactory: v0\nfoo: 1\n'), 'llamafactory-v0');
  assert.equal(kind('# llamafactory: off\nmodel_name_or_path: x\nstage: sft\n'), 'other');
  assert.equal(kind('# LLAMAFACTORY: V1\nmodel: x\n'), 'llamafactory-v1');
});

test('other YAML files stay silent, even when broken', () => {
  assert.deepEqual(analyzeText('name: ci\nsteps: [\n').diagnostics, []);
});

test('the files setting makes matching files configs', () => {
  const a = analyzeText('lora_rnak: 8\n', { configPath: '/p/configs/run.yaml', settings: { files: ['configs/**/*.yaml'] } });
  assert.equal(a.kind, 'llamafactory-v0');
  assert.ok(a.diagnostics.some((d) => d.code === 'unknown-key'));
  assert.equal(analyzeText('lora_rnak: 8\n', { configPath: '/p/other/run.yaml', settings: { files: ['configs/**/*.yaml'] } }).kind, 'other');
});
