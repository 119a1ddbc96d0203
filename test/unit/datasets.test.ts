// Dataset checks against small data files written for them
// (test/fixtures/datasets/data): each name in a config is resolved through
// dataset_info.json, its file scanned in the background, and the findings
// reported at the name. Expected counts and lengths are worked out by hand
// from the fixture files and the tokenizer fixture's merges.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { createLanguageService, DEFAULT_TRUNCATION_WARN_PERCENT, defaultSettings } from '../../server/src/service';
import { normalizeSettings } from '../../server/src/settings';
import { dataView } from '../../server/src/service/context/data/view';
import { estimateReport } from '../../server/src/service/memory/report';
import { fixturesDir, fsHost } from '../helpers';

const root = path.join(fixturesDir, 'datasets');
const configPath = path.join(root, 'config.yaml');

function config(dataset: string, extra = ''): string {
  return `model_name_or_path: ./model\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: ${dataset}\ntemplate: qwen\ncutoff_len: 1024\noutput_dir: saves/x\n${extra}`;
}

/** Analyses twice: the first run queues the scans, the second sees them. */
async function analyzed(text: string, settings = defaultSettings) {
  const service = createLanguageService(fsHost([root]));
  const input = { uri: 'file:///cfg.yaml', text, configPath };
  service.analyze(input, settings);
  await service.data.idle();
  const a = service.analyze(input, settings);
  return { ...a, service, view: dataView(a.context) };
}

const codes = (a: { diagnostics: { code?: string | number }[] }) => a.diagnostics.map((d) => String(d.code)).filter((c) => c.startsWith('dataset-')).sort();

test('a clean alpaca file: exact count, no findings, lengths from the model tokenizer', async () => {
  const a = await analyzed(config('alpaca_ok'));
  assert.deepEqual(codes(a), []);
  const d = a.view.datasets[0];
  assert.equal(d.count, 3);
  assert.equal(d.exact, true);
  assert.equal(a.view.tokenizer, path.join(root, 'model', 'tokenizer.json'));
  // Record 1: "hello" (1) + "hello world" (6) = 2 turns → 7 + 2×5 + 1 = 18.
  // Record 2: "hello hello\nworld" (2 + 5) + "hello" (1) → 8 + 11 = 19.
  // Record 3: "say hello" (s,a,y unknown: 3, hello: 1) + "hello" (1) → 5 + 11 = 16.
  assert.deepEqual(a.view.lengths?.sorted, [16, 18, 19]);
  assert.equal(a.view.lengths?.counter, 'tokenizer');
});

test('a mapped column missing from every record is an error naming it, with the data file and registry as related locations', async () => {
  const a = await analyzed(config('alpaca_cols'));
  const d = a.diagnostics.find((x) => x.code === 'dataset-column-missing');
  assert.ok(d, JSON.stringify(a.diagnostics));
  assert.match(String(d.message), /answer/);
  assert.equal(d.range.start.line, 4);
  const uris = (d.relatedInformation ?? []).map((r) => path.basename(new URL(r.location.uri).pathname));
  assert.deepEqual(uris, ['qa.jsonl', 'dataset_info.json']);
  // alpaca_cols is the second entry: line 3 of dataset_info.json (0-based 2).
  assert.equal(d.relatedInformation![1].location.range.start.line, 2);
});

test('sharegpt records whose roles do not alternate are dropped: a warning with the line of the first', async () => {
  const a = await analyzed(config('sharegpt_mixed'));
  const d = a.diagnostics.find((x) => x.code === 'dataset-samples-dropped');
  assert.ok(d, JSON.stringify(a.diagnostics));
  assert.match(String(d.message), /1 of 3/);
  assert.equal(d.relatedInformation![0].location.range.start.line, 2);
});

test('a ranking entry without chosen/rejected columns is an error; with them the records are clean', async () => {
  assert.deepEqual(codes(await analyzed(config('ranking_nocols').replace('stage: sft', 'stage: dpo'))), ['dataset-column-missing', 'dataset-column-missing', 'dataset-no-valid-samples', 'dataset-ranking-columns']);
  assert.deepEqual(codes(await analyzed(config('ranking_ok').replace('stage: sft', 'stage: dpo'))), []);
});

test("a KTO record whose kto_tag is not a boolean is dropped", async () => {
  const a = await analyzed(config('kto_mixed').replace('stage: sft', 'stage: kto'));
  assert.deepEqual(codes(a), ['dataset-samples-dropped']);
  assert.match(String(a.diagnostics.find((x) => x.code === "dataset-samples-dropped")!.message), /kto_tag/);
});

test('an image a multimodal sample names but media_dir does not hold is an error', async () => {
  const a = await analyzed(config('mllm'));
  const d = a.diagnostics.find((x) => x.code === 'dataset-media-missing');
  assert.ok(d, JSON.stringify(a.diagnostics));
  assert.match(String(d.message), /images\/dog\.png/);
  assert.match(String(d.message), /1 of 2/);
  assert.deepEqual(codes(await analyzed(config('mllm', `media_dir: ${path.join(root, 'data')}\n`))), ['dataset-media-missing']);
});

test('pre-training text and CSV are read line by line and by RFC 4180', async () => {
  const pt = await analyzed(config('pt_text').replace('stage: sft', 'stage: pt'));
  assert.deepEqual(codes(pt), []);
  assert.equal(pt.view.datasets[0].count, 3);
  const csv = await analyzed(config('csv_ok'));
  assert.deepEqual(codes(csv), []);
  assert.equal(csv.view.datasets[0].count, 2);
});

test('bad data: a malformed JSON line, binary content and an unreadable parquet file each get a diagnostic with the line; the rest is read', async () => {
  const bad = await analyzed(config('malformed'));
  const d = bad.diagnostics.find((x) => x.code === 'dataset-file-unreadable');
  assert.ok(d);
  assert.match(String(d.message), /line 2/);
  assert.equal(bad.view.datasets[0].files[0].scan?.inspection.records, 2);
  assert.deepEqual(codes(await analyzed(config('binary'))), ['dataset-file-unreadable']);
  assert.deepEqual(codes(await analyzed(config('parquet_bad'))), ['dataset-file-unreadable']);
});

test('a missing file and an extension LLaMA-Factory does not load are errors; a hub dataset is not read', async () => {
  assert.deepEqual(codes(await analyzed(config('missing_file'))), ['dataset-file-missing']);
  assert.deepEqual(codes(await analyzed(config('bad_ext'))), ['dataset-file-type']);
  const hub = await analyzed(config('hub_only'));
  assert.deepEqual(codes(hub), []);
  assert.deepEqual(hub.view.datasets[0].resolved?.source, { kind: 'hub', hub: 'hf', id: 'llamafactory/alpaca_en' });
});

test('val_size as a count at or above the training samples is an error; max_samples caps each dataset first', async () => {
  assert.deepEqual(codes(await analyzed(config('alpaca_ok', 'val_size: 3\n'))), ['dataset-val-size']);
  assert.deepEqual(codes(await analyzed(config('alpaca_ok', 'val_size: 2\n'))), []);
  assert.deepEqual(codes(await analyzed(config('alpaca_ok, csv_ok', 'val_size: 4\nmax_samples: 2\n'))), ['dataset-val-size']);
});

test('cutoff_len that cuts more than a tenth of the samples is a warning at cutoff_len', async () => {
  // long.jsonl: 5 texts of 50 words and 5 of 400; with the character estimate "word " is 5 chars → 1.25 tokens.
  const a = await analyzed(config('long_text').replace('model_name_or_path: ./model', 'model_name_or_path: nowhere/none').replace('cutoff_len: 1024', 'cutoff_len: 256'));
  const d = a.diagnostics.find((x) => x.code === 'dataset-truncated');
  assert.ok(d, JSON.stringify(a.diagnostics));
  assert.equal(d.range.start.line, 6);
  assert.match(String(d.message), /50%/);
  assert.equal(a.view.lengths?.counter, 'chars');
});

test('the share cutoff_len may cut before the warning is a setting (llamafactory.datasets.truncationWarningPercent)', async () => {
  const text = config('long_text').replace('model_name_or_path: ./model', 'model_name_or_path: nowhere/none').replace('cutoff_len: 1024', 'cutoff_len: 256');
  // Half of long.jsonl is cut (above): a 50 % allowance is not exceeded, 49 % is.
  const allowed = await analyzed(text, { ...defaultSettings, truncationWarnPercent: 50 });
  assert.ok(!allowed.diagnostics.some((x) => x.code === 'dataset-truncated'));
  const strict = await analyzed(text, { ...defaultSettings, truncationWarnPercent: 49 });
  assert.ok(strict.diagnostics.some((x) => x.code === 'dataset-truncated'));
  assert.equal(normalizeSettings({ datasets: { truncationWarningPercent: 25 } }).truncationWarnPercent, 25);
  assert.equal(normalizeSettings({ datasets: { truncationWarningPercent: 250 } }).truncationWarnPercent, DEFAULT_TRUNCATION_WARN_PERCENT);
  assert.equal(normalizeSettings({}).truncationWarnPercent, DEFAULT_TRUNCATION_WARN_PERCENT);
});

test('the estimate follows the longest sample of the data, beside the padded bound; the hovers show the dataset and the steps', async () => {
  const a = await analyzed(config('alpaca_ok', 'per_device_train_batch_size: 1\ngradient_accumulation_steps: 2\nnum_train_epochs: 3\n'));
  const r = estimateReport(a.context);
  assert.ok(r);
  // The longest sample is 19 tokens, padded to a multiple of 8: 24.
  assert.deepEqual(r.sequence, { source: 'dataset', tokens: 24, p95: 19, max: 19, truncatedShare: 0 });
  assert.ok(r.paddedBound && r.paddedBound.deviceGiB > r.deviceGiB, JSON.stringify(r.paddedBound));
  const service = a.service;
  const hoverAt = (line: number, character: number) => {
    const h = service.hover(a.context, { line, character });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  assert.match(hoverAt(4, 12), /3 samples \(exact\)/);
  // 3 samples ÷ (1 × 2 × 1 GPU) → 2 micro-batches... ceil(3/1)=3 micro-batches, ceil(3/2)=2 steps per epoch, × 3 epochs = 6.
  assert.match(hoverAt(10, 3), /Optimizer steps: 6\*\* \(2 per epoch\)/);
});

test('without scanned data the estimate says it used cutoff_len', async () => {
  const a = await analyzed(config('hub_only'));
  assert.deepEqual(estimateReport(a.context)?.sequence, { source: 'cutoff_len', tokens: 1024, p95: null, max: null, truncatedShare: null });
});

test('the estimate carries the token-length histogram of the scanned data against cutoff_len', async () => {
  const a = await analyzed(config('alpaca_ok'));
  const lengths = a.service.estimate(a.context)?.lengths;
  assert.ok(lengths, 'lengths once the data is scanned');
  // Lengths 16, 18, 19 (worked out above) against cutoff_len 1024: 24 bins of ⌈1024/24⌉ = 43 tokens, all three in the first.
  assert.equal(lengths.cutoff, 1024);
  assert.equal(lengths.width, 43);
  assert.equal(lengths.counts.length, 24);
  assert.equal(lengths.counts[0], 3);
  assert.equal(lengths.counts.reduce((x, y) => x + y, 0), 3);
  assert.equal(lengths.max, 19);
});

test('Arrow IPC files (stream and file format): exact row count and columns from the schema, without decoding records', async () => {
  for (const name of ['arrow_stream', 'arrow_file']) {
    const a = await analyzed(config(name));
    assert.deepEqual(codes(a), [], name);
    const d = a.view.datasets[0];
    // 2 + 3 + 1 rows in three record batches (test/fixtures/datasets/ARROW.md).
    assert.equal(d.count, 6, name);
    assert.equal(d.exact, true, name);
  }
  const missing = await analyzed(config('arrow_cols'));
  const d = missing.diagnostics.find((x) => x.code === 'dataset-column-missing');
  assert.ok(d, JSON.stringify(missing.diagnostics));
  assert.match(String(d.message), /`question`/);
  assert.match(String(d.message), /instruction, input, output/);
  const bad = await analyzed(config('arrow_bad'));
  assert.deepEqual(codes(bad), ['dataset-file-unreadable']);
});

test('with Hub lookups on, a hub dataset hover shows its card from the host; with them off the host is never asked', () => {
  // The shape of https://huggingface.co/api/datasets/<id> (cardData from the card's YAML header, tags, downloads).
  const api = JSON.stringify({
    id: 'llamafactory/alpaca_en', downloads: 12345, gated: false, tags: ['license:apache-2.0', 'size_categories:10K<n<100K'],
    cardData: { license: 'apache-2.0', size_categories: ['10K<n<100K'], pretty_name: 'Alpaca EN' },
    description: 'English instruction data for tuning. Built from the Alpaca release.',
  });
  const asked: string[] = [];
  const host = { ...fsHost([root]), hubDataset: (id: string) => (asked.push(id), api) };
  const text = config('hub_only');
  const hoverWith = (hubLookup: boolean) => {
    const service = createLanguageService(host);
    const a = service.analyze({ uri: 'file:///cfg.yaml', text, configPath }, { ...defaultSettings, hubLookup });
    const h = service.hover(a.context, { line: 4, character: 12 });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  const off = hoverWith(false);
  assert.deepEqual(asked, []);
  assert.match(off, /not downloaded here/);
  assert.doesNotMatch(off, /Hub card/);
  const on = hoverWith(true);
  assert.deepEqual(asked, ['llamafactory/alpaca_en']);
  assert.match(on, /Hub card "Alpaca EN": size 10K<n<100K rows, licence apache-2\.0, 12,345 downloads\. English instruction data for tuning\./);
  assert.doesNotMatch(on, /Built from/);
});

test('openai-formatted data (LLaMA-Factory main) reads its message list like sharegpt, without alpaca columns', async () => {
  const a = await analyzed(config('openai_msgs'));
  assert.deepEqual(codes(a), []);
  assert.equal(a.view.datasets[0].count, 2);
  // Both records are measured from their message lists.
  assert.ok(a.view.lengths && a.view.lengths.samples === 2);
  // Without `columns` the messages column defaults to `conversations` (DatasetAttr), which these records lack.
  const d = (await analyzed(config('openai_default'))).diagnostics.find((x) => x.code === 'dataset-column-missing');
  assert.ok(d);
  assert.match(String(d.message), /`conversations`/);
});
