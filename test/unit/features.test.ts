import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/service';
import lists from '../../server/src/service/facts/lists.json';
import { caret, fixturesDir, fsHost, mainSettings, memoryHost } from '../helpers';

const workspace = path.join(fixturesDir, 'workspace');
const teamConfig = path.join(workspace, 'configs/team/lora.yaml');

function at(textWithCaret: string, configPath = '/w/config.yaml', host = memoryHost()) {
  const { text, position } = caret(textWithCaret);
  const service = createLanguageService(host);
  const { doc, context } = service.analyze({ uri: `file://${configPath}`, text, configPath }, mainSettings);
  return { service, doc, context, position, configPath };
}
const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const BASE = 'model_name_or_path: Qwen/Qwen2.5-7B\nstage: sft\n';

test('hover on a key explains it with type and default', () => {
  const { service, context, position } = at(`${BASE}lora_r‸ank: 8\n`);
  const h = service.hover(context, position)!;
  const md = (h.contents as MarkupContent).value;
  assert.match(md, /^\*\*lora_rank\*\*/);
  assert.match(md, /Default: `8`/);
  assert.deepEqual(h.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
});

test('hover on a template or dataset value describes it', () => {
  const t = at(`${BASE}template: qw‸en3\n`);
  assert.match((t.service.hover(t.context, t.position)!.contents as MarkupContent).value, /template `qwen3`/);
  const d = at(`${BASE}dataset: alpaca_en‸_demo\n`);
  assert.match((d.service.hover(d.context, d.position)!.contents as MarkupContent).value, /built-in dataset/);
});

test('hover inside a mapping whose aliases were not expanded answers without its value (found by the long fuzz run)', () => {
  const { service, context, position } = at('model_name_or_path: &anc\n  a‸: 1\n  b: *anc\nstage: sft\n');
  assert.ok(context.doc.problems.some((p) => p.code === 'alias-limit'));
  assert.doesNotThrow(() => service.hover(context, position));
});

test('hover is silent outside LLaMA-Factory configs', () => {
  const { service, context, position } = at('name: ci\nste‸ps: []\n');
  assert.equal(service.hover(context, position), null);
});

test('key completion offers keys not yet present, with their default', () => {
  const { service, doc, position, configPath } = at(`${BASE}lora_‸\n`);
  const items = service.complete(doc, position, configPath);
  assert.ok(labels(items).includes('lora_rank'));
  assert.ok(!labels(items).includes('stage'));
  const rank = items.find((i) => i.label === 'lora_rank')!;
  assert.equal((rank.textEdit as { newText: string }).newText, 'lora_rank: ${1:8}');
});

test('value completion offers choices, booleans and templates', () => {
  const c = (s: string) => { const x = at(s); return labels(x.service.complete(x.doc, x.position, x.configPath)); };
  assert.ok(c(`${BASE}finetuning_type: ‸\n`).includes('lora'));
  assert.deepEqual(c(`${BASE}bf16: ‸\n`), ['true', 'false']);
  const templates = c(`${BASE}template: ‸\n`);
  assert.equal(templates.length, lists.templates.length);
  assert.ok(templates.includes('llama3'));
});

test('dataset completion reads dataset_info.json from a folder above the config', () => {
  const text = readFileSync(teamConfig, 'utf8').replace('dataset: support_tickets', 'dataset: support_tickets,‸');
  const { service, doc, position, configPath } = at(text, teamConfig, fsHost());
  const items = service.complete(doc, position, configPath);
  assert.deepEqual(labels(items), ['support_tickets', 'support_prefs']);
  assert.match(items[0].detail!, /dataset_info\.json/);
  assert.deepEqual((items[0].textEdit as { range: unknown }).range, { start: position, end: position });
});

test('dataset completion falls back to the built-in list', () => {
  const { service, doc, position, configPath } = at(`${BASE}dataset: ‸\n`);
  assert.equal(service.complete(doc, position, configPath).length, lists.datasets.length);
});

test('symbols follow the ### sections', () => {
  const service = createLanguageService(memoryHost());
  const text = readFileSync(teamConfig, 'utf8');
  const doc = service.parse({ uri: 'file:///x.yaml', text, configPath: teamConfig });
  const syms = service.symbols(doc);
  assert.deepEqual(syms.map((s) => s.name), ['model', 'method', 'dataset', 'train']);
  assert.deepEqual(syms[1].children!.map((c) => c.name), ['stage', 'do_train', 'finetuning_type', 'lora_target', 'deepspeed']);
});

test('links resolve the DeepSpeed file and dataset folder against parent folders', () => {
  const host = fsHost();
  const service = createLanguageService(host);
  const text = readFileSync(teamConfig, 'utf8').replace('dataset: support_tickets', 'dataset: support_tickets\ndataset_dir: data');
  const doc = service.parse({ uri: 'file:///x.yaml', text, configPath: teamConfig });
  const links = service.links(doc, teamConfig);
  assert.deepEqual(links.map((l) => path.relative(workspace, new URL(l.target!).pathname)), ['ds/z2.json', 'data/dataset_info.json']);
  assert.match(links[0].tooltip!, /parent folder/);
});
