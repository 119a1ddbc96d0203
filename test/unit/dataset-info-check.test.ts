// dataset_info.json opened on its own: each mistake LLaMA-Factory's
// data/parser.py and converter.py would trip over (or silently ignore) is
// reported at its exact place in the JSON. Expected positions are found by
// searching the text for the key or value meant (0-based lines and columns).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import { checkRegistry, isRegistryFile } from '../../server/src/service/context/data/registry-check';
import { memoryHost, repoRoot } from '../helpers';

const INFO = '/ws/data/dataset_info.json';
const host = memoryHost({ '/ws/data/here.json': '[]', '/ws/data/folder/part.json': '[]' });
const check = (text: string) => checkRegistry(text, INFO, host);
const found = (text: string) => check(text).map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);
/** `line:column` of the first `needle` on the first line holding it after `fromLine`. */
function where(text: string, needle: string, fromLine = 0): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i >= fromLine && l.includes(needle));
  assert.ok(line >= 0, needle);
  return `${line}:${lines[line].indexOf(needle)}`;
}

test('only files named dataset_info.json are registries', () => {
  assert.equal(isRegistryFile('/a/data/dataset_info.json'), true);
  assert.equal(isRegistryFile('C:\\p\\dataset_info.json'.replace(/\\/g, '/')), true);
  assert.equal(isRegistryFile('/a/data/other.json'), false);
  assert.equal(isRegistryFile('/a/data/dataset_info.json.bak'), false);
});

test('a clean registry with local files and folders has no diagnostics', () => {
  assert.deepEqual(found('{\n  "a": {"file_name": "here.json"},\n  "b": {"file_name": "folder", "formatting": "sharegpt", "columns": {"messages": "m", "system": null}, "tags": {"role_tag": "role"}}\n}\n'), []);
});

test('unknown fields, wrong types and an unknown formatting are flagged at the key or value', () => {
  const text = '{\n  "a": {"file_name": "here.json", "colums": {}, "ranking": "true", "formatting": "sharegtp"}\n}';
  const diags = check(text);
  assert.deepEqual(found(text), [`${where(text, '"colums"')} dataset-info-unknown-field`, `${where(text, '"true"')} dataset-info-type`, `${where(text, '"sharegtp"')} dataset-info-formatting`]);
  // The range covers exactly the key `"colums"`.
  const col = text.split('\n')[1].indexOf('"colums"');
  assert.deepEqual(diags[0].range, { start: { line: 1, character: col }, end: { line: 1, character: col + '"colums"'.length } });
  assert.match(String(diags[0].message), /Did you mean `columns`\?/);
  assert.match(String(diags[2].message), /Did you mean `sharegpt`\?/);
});

test('columns and tags the formatting does not read are warnings; ranking needs chosen and rejected', () => {
  const text = [
    '{',
    '  "s": {"file_name": "here.json", "formatting": "sharegpt", "columns": {"prompt": "q"}},',
    '  "t": {"file_name": "here.json", "tags": {"role_tag": "r"}},',
    '  "r": {"file_name": "here.json", "ranking": true, "columns": {"prompt": "q", "chosen": "c"}},',
    '  "n": {"file_name": "here.json", "ranking": true}',
    '}',
  ].join('\n');
  // A ranking entry is flagged at its `columns` object, or at its name when it has none.
  assert.deepEqual(found(text), [
    `${where(text, '"prompt"')} dataset-info-column`,
    `${where(text, '"role_tag"')} dataset-info-column`,
    `${where(text, '{"prompt": "q", "chosen"')} dataset-info-ranking-columns`,
    `${where(text, '"n"')} dataset-info-ranking-columns`,
  ]);
  assert.match(String(check(text)[2].message), /`rejected`/);
  assert.doesNotMatch(String(check(text)[2].message), /`chosen`/);
});

test('local files are looked up beside the registry; hub entries get a hint, entries without a source an error', () => {
  const text = '{\n  "m": {"file_name": "gone.json"},\n  "h": {"hf_hub_url": "org/x"},\n  "x": {"formatting": "alpaca"}\n}';
  assert.deepEqual(found(text), [`${where(text, '"gone.json"')} dataset-info-file-missing`, `${where(text, '"org/x"')} dataset-info-remote`, `${where(text, '"x"')} dataset-info-no-source`]);
  assert.equal(check(text)[1].severity, 4);
});

test('broken JSON is one error at its place; a repeated name is a warning at the earlier entry', () => {
  // The first token after the stray comma is the closing brace.
  const trailing = '{\n  "a": {"file_name": "here.json",}\n}';
  assert.deepEqual(found(trailing), [`${where(trailing, ',}')} dataset-info-invalid-json`.replace(/:(\d+) /, (_, c) => `:${Number(c) + 1} `)]);
  assert.deepEqual(found('{"a": 1}'), ['0:6 dataset-info-type']);
  assert.deepEqual(found('[]'), ['0:0 dataset-info-type']);
  assert.deepEqual(found('{\n  "a": {"file_name": "here.json"},\n  "a": {"file_name": "here.json"}\n}'), ['1:2 dataset-info-duplicate']);
  // Comments are not JSON for Python's json.load.
  assert.deepEqual(found('{\n  // note\n  "a": {"file_name": "here.json"}\n}'), ['1:2 dataset-info-invalid-json']);
});

test('the language service routes dataset_info.json to the check, applies severity settings and links the rule pages', () => {
  const service = createLanguageService(host);
  const text = '{\n  "m": {"file_name": "gone.json", "colums": {}}\n}';
  const a = service.analyze({ uri: 'file:///ws/data/dataset_info.json', text, configPath: INFO }, defaultSettings);
  assert.equal(a.kind, 'other');
  assert.deepEqual(a.diagnostics.map((d) => d.code), ['dataset-info-file-missing', 'dataset-info-unknown-field']);
  assert.match(a.diagnostics[0].codeDescription?.href ?? '', /docs\/rules\/dataset-info-file-missing\.md$/);
  const off = service.analyze({ uri: 'file:///ws/data/dataset_info.json', text, configPath: INFO }, { ...defaultSettings, rules: { 'dataset-info-file-missing': 'off' } });
  assert.deepEqual(off.diagnostics.map((d) => d.code), ['dataset-info-unknown-field']);
  // Other JSON is not a registry and gets none of this.
  const other = service.analyze({ uri: 'file:///ws/data/other.json', text, configPath: '/ws/data/other.json' }, defaultSettings);
  assert.deepEqual(other.diagnostics, []);
});

test('the upstream registry vendored from LLaMA-Factory reads without a type, field or formatting problem', () => {
  const file = path.join(repoRoot, 'vendor/llamafactory/data/dataset_info.json');
  const codes = new Set(checkRegistry(readFileSync(file, 'utf8'), file, memoryHost()).map((d) => String(d.code)));
  for (const code of ['dataset-info-invalid-json', 'dataset-info-type', 'dataset-info-unknown-field', 'dataset-info-formatting', 'dataset-info-column', 'dataset-info-no-source']) assert.ok(!codes.has(code), code);
  // Its hub entries are said to be unchecked.
  assert.ok(codes.has('dataset-info-remote'));
});

test('the dataset_info.json Hugging Face datasets writes beside its Arrow files is not a registry', () => {
  const info = '{\n  "builder_name": "json",\n  "citation": "",\n  "description": "",\n  "features": {"instruction": {"dtype": "string", "_type": "Value"}},\n  "homepage": "",\n  "license": ""\n}';
  assert.deepEqual(found(info), []);
  assert.deepEqual(found('{"features": {"text": {"dtype": "string", "_type": "Value"}}}'), []);
});
