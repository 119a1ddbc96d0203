// One service, many documents: Hub lookups and parse limits come with each
// call, so what one document allows never applies to another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import { memoryHost } from '../helpers';

const config = (model: string) => `model_name_or_path: ${model}\nstage: sft\ndo_train: true\nfinetuning_type: lora\ntemplate: qwen\n`;
const input = (name: string, text: string) => ({ uri: `file:///ws/${name}.yaml`, configPath: `/ws/${name}.yaml`, text, version: 1 });

test('the host is asked for Hub configs only for documents that allow Hub lookups', () => {
  const asked: string[] = [];
  const service = createLanguageService({ ...memoryHost(), hubConfig: (id) => (asked.push(id), undefined) });
  const on = service.analyze(input('on', config('acme/on-model')), { ...defaultSettings, hubLookup: true });
  const off = service.analyze(input('off', config('acme/off-model')), defaultSettings);
  // The estimate resolves the model when it is asked for, after both analyses.
  service.estimate(off.context);
  service.estimate(on.context);
  assert.deepEqual([...new Set(asked)], ['acme/on-model']);
});

test('each document is parsed with its own limits, and a cached parse is not reused under other limits', () => {
  const service = createLanguageService(memoryHost());
  const text = `${config('Qwen/Qwen2.5-7B')}${'# notes\n'.repeat(200)}`;
  const tooLarge = (limits?: { maxChars: number }) =>
    service.analyze(input('a', text), { ...defaultSettings, limits }).diagnostics.some((d) => d.code === 'file-too-large');
  assert.equal(tooLarge({ maxChars: 1000 }), true);
  assert.equal(tooLarge(), false);
  assert.equal(service.parse(input('a', text), { maxChars: 1000 }).parsed, false);
  assert.equal(service.parse(input('a', text)).parsed, true);
});
