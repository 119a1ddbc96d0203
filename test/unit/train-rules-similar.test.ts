// The did-you-mean helper: distances, bounds, ranking and speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance, rankBySimilarity } from '../../server/src/service/text/similar';
import { v0Schema } from '../../server/src/service/schema/schema';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps as one', () => {
  assert.equal(editDistance('bf16', 'bf16'), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('lora_rank', 'lora_rnk'), 1);
  assert.equal(editDistance('bf16', 'bf61'), 1);
  assert.equal(editDistance('template', 'tempalte'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('edit distance stops at the limit', () => {
  assert.equal(editDistance('abcdefgh', 'zyxwvuts', 2), 3);
  assert.equal(editDistance('a', 'abcdef', 2), 3);
});

test('closest picks the nearest candidate, ignores case and separators, and gives up when nothing is near', () => {
  const templates = ['qwen3', 'qwen3_nothink', 'llama3', 'llama2', 'mistral'];
  assert.equal(closest('qwen3_nothing', templates), 'qwen3_nothink');
  assert.equal(closest('Llama-3', templates), 'llama3');
  assert.equal(closest('gemma', templates), undefined);
  assert.equal(closest('qwen3', templates), undefined, 'an exact match is not a suggestion');
  assert.equal(closest('', templates), undefined);
  assert.equal(closest('mistrl', templates, 0), undefined);
});

test('ranking orders by distance and keeps the input order on ties', () => {
  const ranked = rankBySimilarity('lora_alpa', ['lora_alpha', 'lora_rank', 'lora_alpaa', 'loraplus_lr_ratio']);
  assert.deepEqual(ranked.map((r) => r.candidate), ['lora_alpha', 'lora_alpaa']);
  assert.deepEqual(ranked.map((r) => r.distance), [1, 1]);
});

test('suggesting among every argument name is fast', () => {
  const keys = [...v0Schema.keys];
  assert.ok(keys.length > 400);
  const words = ['lerning_rate', 'per_device_batch_size', 'gradient_acumulation_steps', 'finetune_type', 'xyzzy', 'bf_16'];
  const start = process.hrtime.bigint();
  const rounds = 200;
  for (let i = 0; i < rounds; i++) for (const w of words) closest(w, keys);
  const perCall = Number(process.hrtime.bigint() - start) / 1e6 / (rounds * words.length);
  assert.equal(closest('lerning_rate', keys), 'learning_rate');
  assert.equal(closest('gradient_acumulation_steps', keys), 'gradient_accumulation_steps');
  assert.ok(perCall < 2, `closest over ${keys.length} keys took ${perCall.toFixed(3)} ms`);
});
