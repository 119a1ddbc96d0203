// The value helpers mirror Python: truthiness, float(), split_arg, json.loads,
// and defaults for keys the YAML leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/service/document';
import { argValue, defaultOf, isSet, parsePythonJson, pyFloat, pyStrLower, pyTruthy, splitArg, truthy } from '../../server/src/service/values';

test('Python truthiness: the string "false" is true, zero and empty values are false, NaN is true', () => {
  assert.equal(pyTruthy('false'), true);
  assert.equal(pyTruthy(NaN), true);
  for (const v of [null, undefined, false, 0, '', [], {}]) assert.equal(pyTruthy(v), false, JSON.stringify(v));
  assert.equal(pyTruthy([0]), true);
});

test('float() accepts what Python accepts and refuses the rest', () => {
  assert.equal(pyFloat(' 0.5 '), 0.5);
  assert.equal(pyFloat('1e-3'), 0.001);
  assert.equal(pyFloat('1_000.5'), 1000.5);
  assert.equal(pyFloat('.5'), 0.5);
  assert.equal(pyFloat('-inf'), -Infinity);
  assert.ok(Number.isNaN(pyFloat('nan')));
  assert.equal(pyFloat(true), 1);
  for (const bad of ['half', '.', '1__0', '', null, [1]]) assert.equal(pyFloat(bad), undefined, JSON.stringify(bad));
});

test('split_arg splits strings on commas with stripping and passes lists through', () => {
  assert.deepEqual(splitArg('a, b ,c'), ['a', 'b', 'c']);
  assert.deepEqual(splitArg(['a', 'b']), ['a', 'b']);
  assert.equal(splitArg(0.5), undefined);
});

test('json.loads accepts NaN and Infinity, rejects single quotes', () => {
  assert.deepEqual(parsePythonJson('{"a": 1}'), { value: { a: 1 } });
  assert.ok(parsePythonJson('{"a": NaN, "b": -Infinity}'));
  assert.equal(parsePythonJson("{'a': 1}"), undefined);
});

test('str().lower() of JSON scalars matches Python', () => {
  assert.equal(pyStrLower(true), 'true');
  assert.equal(pyStrLower('False'), 'false');
  assert.equal(pyStrLower(null), 'none');
});

test('absent keys take their args.json default; written values win, null included', () => {
  const doc = parseConfig('file:///c.yaml', 'model_name_or_path: m\nbf16: "false"\nadapter_name_or_path: null\n');
  assert.equal(argValue(doc, 'cutoff_len'), 2048);
  assert.equal(argValue(doc, 'stage'), 'sft');
  assert.equal(argValue(doc, 'finetuning_type'), 'lora');
  assert.equal(defaultOf('not_a_key'), undefined);
  assert.equal(truthy(doc, 'bf16'), true, 'a quoted "false" is a non-empty string');
  assert.equal(isSet(doc, 'adapter_name_or_path'), false);
  assert.equal(isSet(doc, 'model_name_or_path'), true);
});
