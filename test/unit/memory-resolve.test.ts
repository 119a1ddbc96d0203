import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceHost } from '../../server/src/service/types';
import { resolveModel, sizeFromName } from '../../server/src/service/models/resolve';

const qwenConfig = JSON.stringify({
  model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14,
  num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true,
});

function host(files: Record<string, string>, env: Record<string, string> = {}): ServiceHost {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = f; d.includes('/'); ) { d = d.slice(0, d.lastIndexOf('/')); if (d) dirs.add(d); }
  return {
    readFile: (p) => files[p],
    isDirectory: (p) => dirs.has(p),
    listDir: (p) => [...new Set(Object.keys(files).filter((f) => f.startsWith(p + '/')).map((f) => f.slice(p.length + 1).split('/')[0]))],
    searchRoots: () => ['/ws'],
    env: (n) => env[n],
    homeDir: () => '/home/u',
  };
}

test('a local folder beside the config wins, then parents and search roots', () => {
  const h = host({ '/ws/proj/models/q/config.json': qwenConfig });
  const r = resolveModel('models/q', '/ws/proj/configs', h);
  assert.equal(r?.source, 'local');
  assert.ok(Math.abs(r!.paramsB - 0.494) < 0.001);
});

test('the Hugging Face cache is read through HF_HOME', () => {
  const h = host({ '/hf/hub/models--Org--Tiny/snapshots/abc/config.json': qwenConfig }, { HF_HOME: '/hf' });
  assert.equal(resolveModel('Org/Tiny', '/ws', h)?.source, 'cache');
});

test('bad JSON is skipped; the catalog matches case-insensitively and without org', () => {
  const h = host({ '/ws/Qwen/Qwen2.5-0.5B/config.json': '{oops' });
  assert.equal(resolveModel('Qwen/Qwen2.5-0.5B', '/ws', h)?.source, 'catalog');
  assert.equal(resolveModel('qwen2.5-0.5b', '/ws', h)?.source, 'catalog');
});

test('unknown names fall back to the size in the name, flagged approximate', () => {
  const r = resolveModel('someone/MyModel-7B-chat', '/ws', host({}));
  assert.equal(r?.source, 'name');
  assert.equal(r?.approximate, true);
  assert.equal(sizeFromName('Qwen3-30B-A3B'), 30);
  assert.equal(sizeFromName('x/tiny-1.5b'), 1.5);
  assert.ok(sizeFromName('Mixtral-8x7B')! > 40);
  assert.equal(resolveModel('no-size-here', '/ws', host({})), undefined);
});

test('a config.json the host fetched from the Hub comes after the caches and before the catalog', () => {
  const asked: string[] = [];
  const h = { ...host({}), hubConfig: (id: string) => (asked.push(id), id === 'acme/tiny-q' ? qwenConfig : undefined) };
  const r = resolveModel('acme/tiny-q', '/ws', h);
  assert.equal(r?.source, 'hub');
  assert.ok(Math.abs(r!.paramsB - 0.494) < 0.001);
  assert.equal(resolveModel('Qwen/Qwen2.5-7B', '/ws', h)?.source, 'catalog');
  assert.equal(resolveModel('./local/path', '/ws', h)?.source, undefined);
  assert.deepEqual(asked, ['acme/tiny-q', 'Qwen/Qwen2.5-7B']);
});
