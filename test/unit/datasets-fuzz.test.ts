// The dataset readers never throw or hang on arbitrary input, in whatever
// pieces it arrives: every record they hand on parses, and every problem has a
// line inside the text (bounded fast-check runs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { readArrow } from '../../server/src/service/context/data/arrow';
import { fixturesDir } from '../helpers';
import { CsvReader, JsonFileReader, LineReader } from '../../server/src/service/context/data/readers';
import type { ReadProblem, RecordReader, RecordSink } from '../../server/src/service/context/data/readers';

function run(make: (sink: RecordSink) => RecordReader, text: string, cuts: number[]): { records: number; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  let records = 0;
  const reader = make({ record: () => records++, problem: (p) => problems.push(p) });
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
    reader.push(text.slice(at, cut));
    at = cut;
  }
  reader.push(text.slice(at));
  reader.end();
  return { records, problems };
}

const readers: [string, (s: RecordSink) => RecordReader][] = [
  ['json', (s) => new JsonFileReader(s)],
  ['jsonl', (s) => new LineReader(s, true)],
  ['csv', (s) => new CsvReader(s)],
];
const jsonish = fc.oneof(fc.string(), fc.json(), fc.array(fc.json()).map((a) => JSON.stringify(a)), fc.array(fc.json()).map((a) => a.join('\n')));

for (const [name, make] of readers) {
  test(`the ${name} reader survives arbitrary text in arbitrary pieces`, () => {
    fc.assert(fc.property(jsonish, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
      const lines = text.split('\n').length;
      const r = run(make, text, cuts);
      for (const p of r.problems) assert.ok(p.line >= 0 && p.line < lines + 1, `line ${p.line} of ${lines}`);
    }), { numRuns: 300 });
  });
}

test('a JSON array split anywhere yields the same records as read whole', () => {
  fc.assert(fc.property(fc.array(fc.dictionary(fc.string(), fc.json()), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (items, cuts) => {
    const text = JSON.stringify(items, null, 1);
    assert.equal(run((s) => new JsonFileReader(s), text, cuts).records, items.length);
    assert.equal(run((s) => new JsonFileReader(s), text, []).problems.length, 0);
  }), { numRuns: 300 });
});

test('the Arrow reader answers or throws an Error on any bytes: corrupted fixtures and random data', async () => {
  const fixture = readFileSync(path.join(fixturesDir, 'datasets', 'data', 'alpaca_stream.arrow'));
  const bytesOf = (b: Uint8Array) => ({ size: b.length, read: async (s: number, e: number) => b.subarray(s, e) });
  const corrupted = fc.array(fc.tuple(fc.nat(fixture.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
    const b = Uint8Array.from(fixture);
    for (const [at, v] of edits) b[at] = v;
    return b;
  });
  await fc.assert(fc.asyncProperty(fc.oneof(corrupted, fc.uint8Array({ maxLength: 512 })), async (bytes) => {
    try {
      const r = await readArrow(bytesOf(bytes));
      assert.ok(Number.isFinite(r.rows) && Array.isArray(r.columns));
    } catch (e) {
      assert.ok(e instanceof Error, String(e));
    }
  }), { numRuns: 300 });
});
