// A large alpaca JSON Lines dataset written on the spot (for the LSP latency
// test and the scan memory benchmark): a folder with dataset_info.json naming
// `big.jsonl`, and a training config naming `big`. Records vary in length so
// the token-length statistics have something to show.
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LargeDataset {
  dir: string;
  file: string;
  configPath: string;
  config: string;
  records: number;
  bytes: number;
}

const WORDS = ['the', 'model', 'learns', 'from', 'each', 'sample', 'in', 'order', 'to', 'answer', 'questions', 'about', 'training', 'data'];
/** About 4 MB per write: large enough to be quick, small enough to keep the writer's own memory low. */
const CHUNK = 4 << 20;

function record(i: number): string {
  const n = 20 + (i * 37) % 400;
  const words: string[] = [];
  for (let w = 0; w < n; w++) words.push(WORDS[(i + w * 7) % WORDS.length]);
  const text = words.join(' ');
  return `${JSON.stringify({ instruction: `Question ${i}: ${text.slice(0, 200)}`, input: '', output: text })}\n`;
}

/** Writes at least `megabytes` MB of records into a new temporary folder. */
export function writeLargeDataset(megabytes: number, prefix = 'lf-large-dataset-'): LargeDataset {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  const file = path.join(data, 'big.jsonl');
  const fd = openSync(file, 'w');
  const target = megabytes * 1024 * 1024;
  let bytes = 0;
  let records = 0;
  try {
    while (bytes < target) {
      const parts: string[] = [];
      let size = 0;
      while (size < CHUNK) {
        const r = record(records++);
        parts.push(r);
        size += Buffer.byteLength(r);
      }
      bytes += writeSync(fd, parts.join(''));
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(path.join(data, 'dataset_info.json'), '{\n  "big": {"file_name": "big.jsonl"}\n}\n');
  const config = 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\nlora_target: all\ndataset: big\ndataset_dir: data\ntemplate: qwen\ncutoff_len: 1024\noutput_dir: saves/big\nper_device_train_batch_size: 1\nlearning_rate: 1.0e-4\n';
  const configPath = path.join(dir, 'train.yaml');
  writeFileSync(configPath, config);
  return { dir, file, configPath, config, records, bytes };
}
