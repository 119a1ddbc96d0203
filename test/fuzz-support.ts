// Shared by the fixed-seed fuzz tests and the long fuzz run (bench/fuzz.ts):
// arbitraries that mutate the upstream configs or build configs from the
// schema, and one function that drives every service entry point on a text
// and throws on the first broken invariant.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { isMap, isSeq, parseAllDocuments } from 'yaml';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { createLanguageService, defaultSettings } from '../server/src/service';
import type { LanguageService } from '../server/src/service';
import { parseConfig } from '../server/src/service/document';
import type { ConfigDocument } from '../server/src/service/document';
import { v0Schema } from '../server/src/service/schema/schema';
import type { KeySchema } from '../server/src/service/schema/schema';
import { v0Examples } from './corpus';
import { corpusDir, memoryHost } from './helpers';

export interface CorpusConfig {
  name: string;
  text: string;
}

let cached: CorpusConfig[] | undefined;
/** The 66 upstream v0 example configs, read once. */
export function corpusConfigs(): CorpusConfig[] {
  cached ??= v0Examples().map((f) => ({ name: path.relative(corpusDir, f), text: readFileSync(f, 'utf8') }));
  return cached;
}

const keys = Object.keys(v0Schema.properties);
const SCALARS = ['true', 'false', 'True', 'yes', 'no', 'null', '~', '0', '-1', '1e-4', '1.0e-4', '.inf', '.nan', '0x1F', '08', '1_000',
  '""', "''", '"true"', "'3'", 'none', 'auto', 'full_shard', 'sft', 'lora', '[]', '{}', '[1, [2, {a: 3}]]', '{a: {b: [c]}}',
  'a, b, c', '"unterminated', "'also", '|', '>-', '&x 1', '*x', '*missing', '!!str 3', '!!int x', '!custom v', '%', '@', '`', '? q'];
const UNICODE = ['é', 'ß', '中文', '😀', '\u200B', '\u00A0', '\u2028', '\u2029', '\uFEFF', '\uFFFD', '\uD800', 'İ', 'ﬀ', 'Ω'];
const CHARS = [' ', '\t', '\n', '\r', '\r\n', ':', '-', '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', ',', '"', "'", '?', '%', '@', '\\', '---', '...', ...UNICODE];

const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 12 }), fc.double().map(String), fc.integer().map(String), fc.constantFrom(...UNICODE));
const keyName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) });

/** A line to insert: a key with a random value, nesting, anchors, merge keys, flow collections, separators. */
const line: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(keyName, scalar).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(fc.integer({ min: 1, max: 8 }), keyName, scalar).map(([n, k, v]) => `${' '.repeat(n)}${k}: ${v}`),
  fc.tuple(keyName, scalar).map(([k, v]) => `\t${k}: ${v}`),
  fc.tuple(keyName, fc.array(scalar, { maxLength: 5 })).map(([k, vs]) => `${k}: [${vs.join(', ')}]`),
  fc.tuple(keyName, fc.array(fc.tuple(keyName, scalar), { maxLength: 4 })).map(([k, kv]) => `${k}: {${kv.map(([a, b]) => `${a}: ${b}`).join(', ')}}`),
  fc.tuple(keyName, scalar).map(([k, v]) => `${k}: &a ${v}`),
  keyName.map((k) => `${k}: *a`),
  fc.constant('<<: *a'),
  fc.constant('<<: {stage: sft, bf16: true}'),
  fc.constant('base: &b {finetuning_type: lora, lora_rank: 8}\n<<: *b'),
  fc.constantFrom('---', '...', '--- !!map', '%YAML 1.2', '- item', '? complex', ': orphan', '#', '# comment', ''),
  fc.tuple(keyName, fc.integer({ min: 1, max: 120 })).map(([k, n]) => `${k}: ${'['.repeat(n)}${']'.repeat(n)}`),
  fc.tuple(keyName, fc.integer({ min: 1, max: 60 })).map(([k, n]) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}${k}${i}:`).join('\n')),
  fc.tuple(keyName, fc.integer({ min: 1, max: 60 })).map(([k, n]) => `${k}: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`),
  fc.tuple(keyName, fc.integer({ min: 1_000, max: 60_000 })).map(([k, n]) => `${k}: ${'x'.repeat(n)}`),
  fc.tuple(keyName, fc.string({ maxLength: 20 })).map(([k, s]) => `${k}: |\n  ${s}\n  more`),
);

type Mutation = (text: string) => string;
const splitLines = (t: string) => t.split('\n');
const at = (n: number, len: number) => (len === 0 ? 0 : n % len);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), line).map(([i, l]) => (t: string) => {
    const ls = splitLines(t);
    ls.splice(at(i, ls.length + 1), 0, l);
    return ls.join('\n');
  }),
  fc.nat().map((i) => (t: string) => {
    const ls = splitLines(t);
    ls.splice(at(i, ls.length), 1);
    return ls.join('\n');
  }),
  fc.nat().map((i) => (t: string) => {
    const ls = splitLines(t);
    const j = at(i, ls.length);
    ls.splice(j, 0, ls[j] ?? '');
    return ls.join('\n');
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...CHARS), fc.string({ maxLength: 3 }))).map(([i, c]) => (t: string) => {
    const j = at(i, t.length + 1);
    return t.slice(0, j) + c + t.slice(j);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([i, n]) => (t: string) => {
    const j = at(i, t.length);
    return t.slice(0, j) + t.slice(j + n);
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (t: string) => swapValues(t, i, j)),
  fc.constant((t: string) => t.replace(/\r?\n/g, '\r\n')),
  fc.constant((t: string) => `\uFEFF${t}`),
  fc.constant((t: string) => t.replace(/\n/g, '\r')),
  fc.constant((t: string) => t.replace(/^ {2}/gm, '\t')),
  fc.nat().map((i) => (t: string) => `${t}\n---\n${corpusConfigs()[at(i, corpusConfigs().length)].text}`),
  fc.nat().map((i) => (t: string) => {
    // Turn one entry into an anchor and point another at it.
    const ls = splitLines(t);
    const a = at(i, ls.length);
    const b = at(i * 7 + 3, ls.length);
    ls[a] = ls[a].replace(/:\s+(\S)/, ': &anc $1');
    ls[b] = ls[b].replace(/:\s+.*$/, ': *anc');
    return ls.join('\n');
  }),
);

/** Swaps the values of two `key: value` lines. */
function swapValues(t: string, i: number, j: number): string {
  const ls = splitLines(t);
  const pairs = ls.map((l, n) => ({ n, m: /^(\s*[^#\s][^:]*:\s)(.*)$/.exec(l) })).filter((p) => p.m);
  if (pairs.length < 2) return t;
  const a = pairs[at(i, pairs.length)];
  const b = pairs[at(j, pairs.length)];
  ls[a.n] = a.m![1] + b.m![2];
  ls[b.n] = b.m![1] + a.m![2];
  return ls.join('\n');
}

/** An upstream config with 1-6 random mutations applied. */
export const mutatedConfig: fc.Arbitrary<string> = fc
  .tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([i, ms]) => ms.reduce((t, m) => m(t), corpusConfigs()[at(i, corpusConfigs().length)].text));

function valueFor(s: KeySchema): fc.Arbitrary<string> {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const options: fc.Arbitrary<string>[] = [scalar];
  if (s.enum) options.push(fc.constantFrom(...s.enum.map((v) => (v === null ? 'null' : String(v)))));
  if (types.includes('boolean')) options.push(fc.constantFrom('true', 'false', '"true"', 'False'));
  if (types.includes('integer')) options.push(fc.integer({ min: -10, max: 100_000 }).map(String), fc.integer().map((n) => `"${n}"`));
  if (types.includes('number')) options.push(fc.double({ noNaN: true }).map(String), fc.constantFrom('1e-4', '5.0e-5', '0.1'));
  if (types.includes('string')) options.push(fc.string({ maxLength: 16 }).map((x) => JSON.stringify(x)), fc.constantFrom('a', 'b,c', 'Qwen/Qwen2.5-7B'));
  if (types.includes('array')) options.push(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }).map((a) => `[${a.join(', ')}]`));
  if (types.includes('object')) options.push(fc.constantFrom('{}', '{a: 1}', '"{\\"a\\": 1}"'));
  return fc.oneof(...options);
}

/** A config built from the schema: random keys with values of the right (and sometimes the wrong) shape. */
export const generatedConfig: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...keys).chain((k) => fc.tuple(fc.constant(k), valueFor(v0Schema.properties[k]), fc.constantFrom('', '', '', '  # note'))), { minLength: 1, maxLength: 30 })
  .map((entries) => ['### generated', 'stage: sft', 'model_name_or_path: Qwen/Qwen2.5-7B', ...entries.map(([k, v, c]) => `${k}: ${v}${c}`), ''].join('\n'));

/**
 * Syntax errors of a text, lone \r read as a line break (as PyYAML does, and the service).
 * A leading byte-order mark is dropped first: with it the
 * `yaml` package accepts an indented first line that PyYAML (and `yaml` without
 * the mark) refuses, and an inserted comment line would expose that.
 */
function yamlErrors(text: string): unknown[] {
  return parseAllDocuments(text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n'), { version: '1.1', schema: 'failsafe', uniqueKeys: false }).flatMap((d) => ('errors' in d ? d.errors : []));
}

/** Generated configs that parse cleanly, for properties about comments, blank lines and keys. */
export const wellFormedConfig: fc.Arbitrary<string> = generatedConfig.filter((t) => yamlErrors(t).length === 0);

/** A position anywhere in (and a little beyond) the text. */
export const position: fc.Arbitrary<{ line: number; character: number }> = fc.record({ line: fc.nat({ max: 400 }), character: fc.nat({ max: 200 }) });

export const TARGETS = ['', 't4', 'v100', 'a100-80gb-sxm', 'mi300x'];

/** Line lengths as an LSP client counts them (\r\n, \n and \r all end a line). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function assertRangeInside(text: string, lengths: number[], r: Range, what: string): void {
  const ok = (p: Position) => p.line >= 0 && p.line < lengths.length && p.character >= 0 && p.character <= lengths[p.line];
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  if (!ok(r.start) || !ok(r.end) || !before) throw new Error(`${what}: range ${JSON.stringify(r)} is outside the document (${lengths.length} lines, ${text.length} chars)`);
}

/** Applies LSP edits to a text after checking they lie inside it and do not overlap. */
export function applyChecked(text: string, edits: TextEdit[], what: string): string {
  const lengths = lineLengths(text);
  const starts: number[] = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index! + m[0].length);
  const offset = (p: Position) => starts[p.line] + p.character;
  const spans = edits.map((e) => {
    assertRangeInside(text, lengths, e.range, what);
    return { start: offset(e.range.start), end: offset(e.range.end), text: e.newText };
  });
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw new Error(`${what}: edits overlap: ${JSON.stringify(sorted.slice(i - 1, i + 1))}`);
  }
  let out = text;
  for (const s of sorted.reverse()) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}


export interface CheckOptions {
  positions: { line: number; character: number }[];
  gpu?: string;
  /** Longest analysis allowed, in ms (generous: shared CI machines are slow; the point is that nothing hangs). */
  timeBoundMs?: number;
}

const service: LanguageService = createLanguageService(memoryHost());
// Compile the schema and warm the JIT once, so the time bound measures analysis, not start-up.
service.analyze({ uri: 'file:///warm-up.yaml', text: 'model_name_or_path: m\nstage: sft\n', configPath: '/warm-up.yaml' }, defaultSettings);

/** What a parse produced, in comparable form: every entry with its ranges, the ranges of nodes inside its value, and the problems. */
function parseSummary(doc: ConfigDocument): unknown {
  const nodeRanges = (node: unknown, out: unknown[]): unknown[] => {
    if (isMap(node) || isSeq(node)) {
      out.push(node.range);
      for (const item of node.items as unknown[]) {
        if (isMap(node)) {
          const pair = item as { key: { range?: unknown } | null; value: unknown };
          out.push(pair.key?.range);
          nodeRanges(pair.value, out);
        } else nodeRanges(item, out);
      }
    } else out.push((node as { range?: unknown } | null)?.range);
    return out;
  };
  return {
    kind: doc.kind,
    parsed: doc.parsed,
    problems: doc.problems,
    entries: doc.entries.map((e) => ({ key: e.key, keyRange: e.keyRange, valueRange: e.valueRange, value: e.value, quoted: e.quoted, node: e.node && nodeRanges(e.node, []) })),
  };
}

/** The line scan gives exactly what a full YAML parse gives; throws with both when not. */
export function assertSameParse(text: string): void {
  const scanned = parseSummary(parseConfig('file:///same.yaml', text));
  const parsed = parseSummary(parseConfig('file:///same.yaml', text, {}, 'yaml'));
  if (!isDeepStrictEqual(scanned, parsed)) {
    throw new Error(`the line scan and the YAML parser disagree on ${JSON.stringify(text)}:\nscan: ${JSON.stringify(scanned)}\nyaml: ${JSON.stringify(parsed)}`);
  }
}

/** Runs every service feature on `text`; throws on a crash or a broken invariant. */
export function checkService(text: string, opts: CheckOptions): void {
  assertSameParse(text);
  const configPath = '/work/project/config.yaml';
  const input = { uri: 'file:///work/project/config.yaml', text, configPath };
  const t0 = performance.now();
  const a = service.analyze(input, { ...defaultSettings, gpu: opts.gpu ?? '' });
  const ms = performance.now() - t0;
  const bound = opts.timeBoundMs ?? 5_000;
  if (ms > bound) throw new Error(`analysis took ${ms.toFixed(0)} ms (bound ${bound} ms)`);
  const lengths = lineLengths(text);
  for (const d of a.diagnostics) assertRangeInside(text, lengths, d.range, `diagnostic ${String(d.code)}`);
  const cleanSyntax = yamlErrors(text).length === 0;
  const results = new Map<string, string>();
  for (const d of a.diagnostics) {
    for (const action of service.codeActions(a.context, d.range, a.diagnostics)) {
      results.set(applyChecked(text, action.edit?.changes?.[input.uri] ?? [], `action "${action.title}"`), action.title);
    }
  }
  // Many actions (the "disable in this file" ones) give the same text: parse each result once.
  if (cleanSyntax) {
    for (const [result, title] of results) if (yamlErrors(result).length > 0) throw new Error(`action "${title}" broke the YAML:\n${result}`);
  }
  const all = service.codeActions(a.context, { start: { line: 0, character: 0 }, end: { line: lengths.length, character: 0 } }, a.diagnostics, ['source.fixAll']);
  for (const action of all) applyChecked(text, action.edit?.changes?.[input.uri] ?? [], 'fix all');
  for (const raw of opts.positions) {
    // Out-of-document positions must not crash; ranges are checked for positions a client can send.
    const line = raw.line % lengths.length;
    const p = { line, character: raw.character % (lengths[line] + 1) };
    if (raw.line !== p.line || raw.character !== p.character) {
      service.hover(a.context, raw);
      service.complete(a.doc, raw, configPath);
    }
    const h = service.hover(a.context, p);
    if (h?.range) assertRangeInside(text, lengths, h.range, 'hover');
    for (const item of service.complete(a.doc, p, configPath)) {
      if (item.textEdit && 'range' in item.textEdit) assertRangeInside(text, lengths, item.textEdit.range, 'completion');
    }
  }
  const walk = (ss: ReturnType<LanguageService['symbols']>): void => {
    for (const s of ss) {
      assertRangeInside(text, lengths, s.range, 'symbol');
      assertRangeInside(text, lengths, s.selectionRange, 'symbol selection');
      walk(s.children ?? []);
    }
  };
  walk(service.symbols(a.doc));
  for (const l of service.links(a.doc, configPath)) assertRangeInside(text, lengths, l.range, 'link');
}

/** One fuzz case: a text (mutated or generated), positions to probe and a target GPU. */
export const fuzzCase = fc.record({
  text: fc.oneof({ weight: 3, arbitrary: mutatedConfig }, { weight: 1, arbitrary: generatedConfig }),
  positions: fc.array(position, { minLength: 1, maxLength: 4 }),
  gpu: fc.constantFrom(...TARGETS),
});
