// The line scan (server/src/service/entry-scan.ts) must read every file exactly
// as the YAML parser does, or hand it over. These tests compare the two
// strategies of parseConfig on the corpus, on lines built from the characters
// YAML treats specially, and check that the scan really takes the common files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '../../server/src/service/document';
import { scanEntries } from '../../server/src/service/entry-scan';
import { assertSameParse, corpusConfigs, generatedConfig, mutatedConfig } from '../fuzz-support';

test('the scan reads every upstream config as the YAML parser does, and takes all of them', () => {
  for (const c of corpusConfigs()) {
    assertSameParse(c.text);
    assert.ok(scanEntries(c.text), `${c.name} fell back to the YAML parser`);
  }
});

test('most entries of upstream configs are read without the YAML parser', () => {
  const entries = corpusConfigs().flatMap((c) => scanEntries(c.text) ?? []);
  const direct = entries.filter((e) => e.scalar).length;
  assert.ok(direct / entries.length > 0.99, `${direct} of ${entries.length} read directly`);
});

/** Pieces that sit at the edges of what a plain or quoted scalar may hold. */
const PIECES = [' ', '  ', 'a', 'x y', '#', ' #', '# c', ':', ': ', '::', "'", "''", '"', '""', '\\', '\\"', '-', '- ', '?', '? ', ',', '[', ']', '{', '}',
  '&a', '*a', '!', '!!str', '|', '>', '%', '@', '`', '\t', 'é', '中文', '😀', '\u00A0', '\u2028', '\uFEFF', '\uFFFD', '\u0085', '\u0007', '1', '.5', '1e-4',
  'true', 'No', 'null', '~', '0x1F', '\r', '\r\n', '\n', '\n  ', '\n- ', '\n# c\n', '...', '---'];

const edgeLine = fc.oneof(
  fc.tuple(fc.constantFrom('stage', 'lora_rank', 'a', 'x_y.z-1', 'true', 'Null', 'k'), fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }))
    .map(([k, ps]) => `${k}:${ps.join('')}`),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((ps) => ps.join('')),
);

/** Short files of edge lines around ordinary ones. */
const edgeConfig = fc.array(fc.oneof({ weight: 3, arbitrary: edgeLine }, { weight: 1, arbitrary: fc.constantFrom('stage: sft', '# note', '', 'bf16: true  # x') }), { maxLength: 8 })
  .map((ls) => ls.join('\n'));

test('the scan agrees with the YAML parser on lines full of YAML indicators (fixed seed)', () => {
  fc.assert(fc.property(edgeConfig, assertSameParse), { seed: 7031, numRuns: 20_000, endOnFailure: true });
});

test('the scan agrees with the YAML parser on mutated and generated configs (fixed seed)', () => {
  fc.assert(fc.property(fc.oneof(mutatedConfig, generatedConfig), assertSameParse), { seed: 99, numRuns: 3_000, endOnFailure: true });
});

test('an entry the scan cannot read goes to the YAML parser alone, with ranges in the whole file', () => {
  const text = 'stage: sft\nfsdp:\n  - full_shard\n  - auto_wrap\nlr: [1, 2]\nbf16: true\n';
  const scanned = scanEntries(text)!;
  assert.deepEqual(scanned.map((e) => [e.key, e.scalar !== undefined]), [['stage', true], ['fsdp', false], ['lr', false], ['bf16', true]]);
  const doc = parseConfig('file:///a.yaml', text);
  assert.deepEqual(doc.byKey.get('fsdp')?.value, ['full_shard', 'auto_wrap']);
  assert.deepEqual(doc.byKey.get('fsdp')?.node?.range?.slice(0, 2), [text.indexOf('- full'), text.indexOf('lr:')]);
  assert.deepEqual(doc.byKey.get('lr')?.valueRange, { start: { line: 4, character: 4 }, end: { line: 4, character: 10 } });
});

test('structure the scan cannot vouch for sends the whole file to the YAML parser', () => {
  for (const text of ['---\nstage: sft\n', 'stage: sft\n---\nbf16: true\n', '\uFEFFstage: sft\n', 'stage: sft\r- x\n', '  indented: 1\nstage: sft\n', '- item\n', '%YAML 1.1\n---\na: 1\n']) {
    assert.equal(scanEntries(text), undefined, JSON.stringify(text));
    assertSameParse(text);
  }
});

test('an alias is resolved by the whole-file parse, even when its anchor is in another entry', () => {
  const text = 'base: &b 8\nlora_rank: *b\n';
  assertSameParse(text);
  assert.equal(parseConfig('file:///a.yaml', text).byKey.get('lora_rank')?.value, 8);
});
