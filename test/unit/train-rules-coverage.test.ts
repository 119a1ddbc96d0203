// Every row of rules.md sections 7-11 (R105-R267) is implemented by exactly one
// means: a rule that covers it (the train rules, or the data rules for the
// dataset files), or a written reason in trainUndecidable.
// Also the small value helpers the rules share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/service/document';
import { dataRules } from '../../server/src/service/rules/data';
import { trainRules, trainUndecidable } from '../../server/src/service/rules/train';
import { argValue, commandOf, names, pyTruthy } from '../../server/src/service/values';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { factsDir } from '../vendored';

/** The R-rows of rules.md sections 7-11 (from `## 7.` to the first heading after section 11). */
function trainRows(): string[] {
  const md = readFileSync(path.join(factsDir, 'rules.md'), 'utf8');
  const start = md.indexOf('## 7.');
  const end = md.indexOf('\n## ', md.indexOf('## 11.') + 1);
  return [...md.slice(start, end).matchAll(/^\| (R\d+) \|/gm)].map((m) => m[1]);
}

test('each row of sections 7-11 is covered by a rule or explained, never both', () => {
  const covered = new Set([...trainRules, ...dataRules].flatMap((r) => r.covers));
  const problems: string[] = [];
  const ids = trainRows();
  assert.ok(ids.length > 0, 'rules.md sections 7-11 have rows');
  for (const id of ids) {
    const explained = id in trainUndecidable;
    if (covered.has(id) === explained) problems.push(`${id}: ${explained ? 'both covered and explained' : 'neither covered nor explained'}`);
  }
  for (const [id, reason] of Object.entries(trainUndecidable)) if (reason.trim().length < 10) problems.push(`${id}: reason too short`);
  assert.deepEqual(problems, []);
});

test('codes are unique and kebab-case', () => {
  const codes = trainRules.flatMap((r) => r.codes);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^[a-z0-9]+(-[a-z0-9]+)+$/);
});

test('Python truthiness', () => {
  for (const v of [null, undefined, false, 0, '', [], {}]) assert.equal(pyTruthy(v), false, JSON.stringify(v));
  for (const v of [true, 1, -1, 'false', '0', [0], { a: 0 }, NaN]) assert.equal(pyTruthy(v), true, String(v));
});

test('effective values fall back to the argument defaults', () => {
  const doc = parseConfig('file:///a.yaml', 'model_name_or_path: m\nbf16: "false"\ncutoff_len: null\n');
  assert.equal(argValue(doc, 'stage'), 'sft');
  assert.equal(argValue(doc, 'finetuning_type'), 'lora');
  assert.equal(argValue(doc, 'cutoff_len'), null, 'a written null stays null');
  assert.equal(argValue(doc, 'bf16'), 'false');
  assert.equal(argValue(doc, 'not_an_argument'), undefined);
});

test('comma-separated names', () => {
  assert.deepEqual(names('identity, alpaca_en_demo,,'), ['identity', 'alpaca_en_demo']);
  assert.deepEqual(names(['a', ' b ']), ['a', 'b']);
  assert.deepEqual(names(null), []);
});

test('the command a config is written for', () => {
  const kind = (text: string) => commandOf(parseConfig('file:///a.yaml', text));
  assert.equal(kind('model_name_or_path: m\nstage: sft\ndo_train: true\n'), 'train');
  assert.equal(kind('model_name_or_path: m\nexport_dir: out\n'), 'export');
  assert.equal(kind('model_name_or_path: m\ntemplate: qwen3\ninfer_backend: vllm\n'), 'chat');
  assert.equal(kind('model_name_or_path: m\ninfer_backend: vllm\nstage: rm\n'), 'chat');
  assert.equal(kind('model_name_or_path: m\nstage: rm\n'), 'train');
  assert.equal(kind('model_name_or_path: m\ntask: mmlu_test\n'), 'eval');
});

