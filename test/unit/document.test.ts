import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig, valueOf } from '../../server/src/service/document';
import { resolvePlainScalar } from '../../server/src/service/scalars';

test('plain scalars are typed like OmegaConf (YAML 1.1)', () => {
  const cases: [string, unknown][] = [
    ['yes', true], ['No', false], ['on', true], ['OFF', false], ['true', true],
    ['y', 'y'], ['n', 'n'], ['None', 'None'], ['null', null], ['~', null], ['', null],
    ['1e-4', 1e-4], ['1.0e-4', 1e-4], ['5e5', 5e5], ['.5', 0.5], ['3.0', 3], ['1_000', 1000], ['0x10', 16],
    ['2024-01-01', '2024-01-01'], ['.inf', Infinity], ['-.inf', -Infinity], ['fa2', 'fa2'], ['1.2.3', '1.2.3'],
  ];
  for (const [src, want] of cases) assert.deepEqual(resolvePlainScalar(src), want, src);
  assert.ok(Number.isNaN(resolvePlainScalar('.nan')));
});

test('quoted scalars stay strings and are marked quoted', () => {
  const doc = parseConfig('file:///a.yaml', 'bf16: "false"\nfp16: false\nlr: \'1e-4\'\n');
  assert.equal(valueOf(doc, 'bf16'), 'false');
  assert.equal(doc.byKey.get('bf16')?.quoted, true);
  assert.equal(valueOf(doc, 'fp16'), false);
  assert.equal(doc.byKey.get('fp16')?.quoted, false);
  assert.equal(valueOf(doc, 'lr'), '1e-4');
});

test('entries keep ranges of keys and values', () => {
  const doc = parseConfig('file:///a.yaml', '# c\nstage: sft  # note\nlora_target: q_proj,v_proj\n');
  const e = doc.byKey.get('lora_target')!;
  assert.deepEqual(e.keyRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
  assert.deepEqual(e.valueRange, { start: { line: 2, character: 13 }, end: { line: 2, character: 26 } });
  assert.deepEqual(doc.byKey.get('stage')!.valueRange.end, { line: 1, character: 10 });
});

test('syntax errors become diagnostics, never exceptions', () => {
  const doc = parseConfig('file:///a.yaml', 'model_name_or_path: x\nstage: [sft\nfoo: : :\n');
  assert.ok(doc.problems.length > 0);
  assert.ok(doc.problems.every((p) => p.code === 'yaml-syntax' && p.severity === 1));
});

test('an alias bomb is refused with a diagnostic', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) {
    const prev = String.fromCharCode(97 + i);
    const next = String.fromCharCode(98 + i);
    lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const started = Date.now();
  const doc = parseConfig('file:///bomb.yaml', `${lines.join('\n')}\n`);
  assert.ok(Date.now() - started < 2000);
  assert.ok(doc.problems.some((p) => p.code === 'alias-limit'));
});

test('binary content, multiple documents and a non-mapping root are reported', () => {
  assert.equal(parseConfig('file:///b', 'stage: sft\u0000\u0001').problems[0].code, 'binary-content');
  assert.ok(parseConfig('file:///m', 'stage: sft\n---\nstage: pt\n').problems.some((p) => p.code === 'multiple-documents'));
  assert.equal(parseConfig('file:///l', '- a\n- b\n').problems[0].code, 'root-not-mapping');
  assert.deepEqual(parseConfig('file:///e', '').problems, []);
});

test('files over the size limit are refused', () => {
  const doc = parseConfig('file:///big', 'stage: sft\n'.repeat(100), { maxChars: 100, maxAliasExpansions: 10 });
  assert.equal(doc.problems[0].code, 'file-too-large');
  assert.equal(doc.entries.length, 0);
});
