import { test } from 'node:test';
import assert from 'node:assert/strict';
import catalog from '../../server/src/service/facts/models.json';
import { architectureFromConfig, genericArchitecture } from '../../server/src/service/models/architecture';
import { countParams } from '../../server/src/service/models/params';

test('parameter counts match every reported catalog size within 1 %', () => {
  let checked = 0;
  const misses: string[] = [];
  for (const entry of catalog.models as Record<string, unknown>[]) {
    const reported = entry['params_b_reported'];
    if (typeof reported !== 'number') continue;
    const arch = architectureFromConfig(entry);
    assert.ok(arch, `${String(entry['id'])} has an architecture`);
    const b = countParams(arch).total / 1e9;
    checked++;
    const rounded = entry['params_b_rounded'] === true && Math.abs(b - reported) < 0.5;
    if (Math.abs(b / reported - 1) > 0.01 && !rounded) misses.push(`${String(entry['id'])}: ${b.toFixed(4)} vs ${reported}`);
  }
  assert.deepEqual(misses, []);
  assert.ok(checked >= 40);
});

test('Llama-3.1-8B breaks down into embedding, head and 32 layers', () => {
  const arch = architectureFromConfig({
    model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32,
    num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, tie_word_embeddings: false,
  })!;
  const p = countParams(arch);
  assert.equal(p.total, 8030261248);
  assert.equal(p.lmHead, p.embedding);
  assert.equal(p.linears.length, 7);
});

test('multimodal configs are read from text_config', () => {
  const arch = architectureFromConfig({
    model_type: 'qwen2_5_vl',
    text_config: { hidden_size: 2048, num_hidden_layers: 36, num_attention_heads: 16, num_key_value_heads: 2, vocab_size: 151936, intermediate_size: 11008 },
  });
  assert.equal(arch?.layers, 36);
  assert.equal(architectureFromConfig('not a config'), undefined);
  assert.equal(architectureFromConfig({ hidden_size: 'x' }), undefined);
});

test('the generic architecture lands near the size in the name', () => {
  for (const b of [0.5, 1.5, 3, 7, 8, 14, 32, 70]) {
    const got = countParams(genericArchitecture(b)).total / 1e9;
    assert.ok(Math.abs(got / b - 1) < 0.2, `${b}B -> ${got.toFixed(2)}B`);
  }
});
