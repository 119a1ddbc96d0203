// Background scans of dataset files. Analysis stays synchronous: it asks for
// a file's scan and gets the cached result (valid while the file's size and
// mtime are unchanged) or nothing yet, in which case a scan is queued. Scans
// run one at a time, stream the file, give the event loop back between
// pieces, report progress, and are cancelled when their file changes.
import * as path from 'node:path';
import type { ServiceHost } from '../../types';
import { Inspector } from './inspect';
import type { Inspection, SampleText } from './inspect';
import { charCounter, loadTokenizer, sampleTokens } from './lengths';
import type { TokenCounter } from './lengths';
import { readArrow } from './arrow';
import { readParquet } from './parquet';
import { CsvReader, JsonFileReader, LineReader } from './readers';
import type { RecordReader } from './readers';
import { fileExists } from './registry';
import type { DataFormat, DatasetAttr } from './registry';
import { byteSource, Cancelled, looksBinary, streamText } from './source';
import type { ByteSource } from './source';

export interface ScanRequest {
  path: string;
  format: DataFormat;
  attr: DatasetAttr;
  /** Resolves a media path written in a record to whether it exists; undefined skips media checks. */
  mediaDir: string | undefined;
  /** The model's tokenizer.json, when one is on disk. */
  tokenizer: string | undefined;
  /** Bytes read at most; past it the count is estimated from the part read. */
  limitBytes: number;
}

export interface FileScan {
  path: string;
  format: DataFormat;
  size: number;
  /** Samples in the file: exact when the whole file was read (or a parquet footer says), else estimated. */
  count: number | undefined;
  exact: boolean;
  bytesRead: number;
  inspection: Omit<Inspection, 'sample' | 'longest'>;
  /** Token lengths of the sampled records, ascending, and the longest seen. */
  lengths: number[];
  maxTokens: number;
  counter: { kind: TokenCounter['kind']; source: string };
}

export interface ScanProgress {
  id: number;
  phase: 'begin' | 'report' | 'end';
  file: string;
  percentage: number;
}

interface Job {
  key: string;
  request: ScanRequest;
  size: number;
  mtimeMs: number;
  cancelled: boolean;
}

const MAX_CACHED = 64;
/** Parquet rows decoded for the checks (the count comes from the footer). */
const PARQUET_SAMPLE_ROWS = 2000;
/** Tokenize for at most this long before giving the event loop back. */
const SLICE_MS = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function keyOf(r: ScanRequest): string {
  return JSON.stringify([r.path, r.format, r.attr, r.mediaDir ?? '', r.tokenizer ?? '', r.limitBytes]);
}

export class DataScanner {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; scan: FileScan }>();
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = new Map<string, Promise<TokenCounter | undefined>>();
  private ids = 0;
  /** Grows whenever a scan finishes, so cached analyses know they are stale. */
  generation = 0;
  onDidScan: () => void = () => undefined;
  onProgress: (p: ScanProgress) => void = () => undefined;

  constructor(private readonly host: ServiceHost) {}

  /** The file's scan when it is cached and current; otherwise queues one and returns undefined. */
  peek(request: ScanRequest): FileScan | undefined {
    const stat = this.host.stat?.(request.path);
    if (!stat || !this.host.readBytes) return undefined;
    const key = keyOf(request);
    const hit = this.cache.get(key);
    if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit.scan;
    this.enqueue({ key, request, size: stat.size, mtimeMs: stat.mtimeMs, cancelled: false });
    return undefined;
  }

  /** Resolves when no scan is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(job: Job): void {
    const same = (j: Job) => j.key === job.key;
    const current = (j: Job) => same(j) && j.size === job.size && j.mtimeMs === job.mtimeMs;
    if ((this.running && current(this.running)) || this.queue.some(current)) return;
    // The file changed under a queued or running scan of it: that scan's answer would be stale.
    if (this.running && this.running.request.path === job.request.path) this.running.cancelled = true;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].request.path === job.request.path) this.queue.splice(i, 1);
    this.queue.push(job);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const job = (this.running = this.queue.shift()!);
      const id = ++this.ids;
      this.onProgress({ id, phase: 'begin', file: job.request.path, percentage: 0 });
      try {
        const scan = await this.scan(job, (percentage) => this.onProgress({ id, phase: 'report', file: job.request.path, percentage }));
        if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(job.key, { size: job.size, mtimeMs: job.mtimeMs, scan });
        this.generation++;
      } catch (e) {
        // A reader bug or an I/O error ends this file's scan with one problem, never the server.
        if (!(e instanceof Cancelled)) this.cache.set(job.key, { size: job.size, mtimeMs: job.mtimeMs, scan: failedScan(job, e) });
      } finally {
        this.onProgress({ id, phase: 'end', file: job.request.path, percentage: 100 });
      }
      this.running = undefined;
      if (!job.cancelled) this.onDidScan();
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private counter(file: string | undefined): Promise<TokenCounter | undefined> {
    if (!file) return Promise.resolve(undefined);
    let c = this.counters.get(file);
    if (!c) this.counters.set(file, (c = loadTokenizer(this.host, file)));
    return c;
  }

  private async scan(job: Job, report: (percentage: number) => void): Promise<FileScan> {
    const { request } = job;
    const source = byteSource(this.host, request.path, job.size)!;
    const mediaDir = request.mediaDir;
    const inspector = new Inspector(request.attr, mediaDir === undefined ? undefined : (p) => this.mediaExists(mediaDir, p));
    let count: number | undefined;
    let exact = false;
    let bytesRead = 0;
    if (request.format === 'parquet' || request.format === 'arrow') {
      const summary = request.format === 'parquet' ? await readParquet(source, PARQUET_SAMPLE_ROWS, inspector) : await this.arrow(source, inspector, job);
      count = summary?.rows;
      exact = summary !== undefined;
      bytesRead = job.size;
    } else {
      const reader = this.reader(request.format, inspector);
      let binary = false;
      let reported = 0;
      bytesRead = await streamText(source, request.limitBytes, () => job.cancelled, (text, at, first) => {
        if (first && looksBinary(first)) {
          binary = true;
          inspector.problem({ kind: 'binary', line: 0, detail: '' });
          return false;
        }
        reader.push(text);
        const percentage = Math.floor((100 * at) / Math.min(job.size, request.limitBytes));
        if (percentage >= reported + 5) report((reported = percentage));
        return true;
      });
      if (!binary) reader.end();
      const records = inspector.result().records;
      exact = bytesRead >= job.size && !binary;
      count = binary ? undefined : exact ? records : Math.round((records * job.size) / Math.max(1, bytesRead));
    }
    const { sample, longest, ...inspection } = inspector.result();
    const counter = (await this.counter(request.tokenizer)) ?? charCounter;
    const lengths = await this.measure(sample, counter, job);
    const longestTokens = await this.measure(longest, counter, job);
    return {
      path: request.path,
      format: request.format,
      size: job.size,
      count,
      exact,
      bytesRead,
      inspection,
      lengths: lengths.sort((a, b) => a - b),
      maxTokens: Math.max(0, ...longestTokens, ...lengths),
      counter: { kind: counter.kind, source: counter.source },
    };
  }

  /** An Arrow file's schema and row count (its records are not decoded); a file that is not Arrow IPC becomes one problem. */
  private async arrow(source: ByteSource, inspector: Inspector, job: Job): Promise<{ rows: number } | undefined> {
    try {
      const summary = await readArrow(source, () => job.cancelled);
      inspector.schema(summary.columns, summary.rows);
      return summary;
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      inspector.problem({ kind: 'unreadable', line: 0, detail: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  private reader(format: DataFormat, inspector: Inspector): RecordReader {
    if (format === 'csv') return new CsvReader(inspector);
    if (format === 'text') return new LineReader(inspector, false);
    return new JsonFileReader(inspector);
  }

  /** Token counts of samples, in slices that leave the event loop free between them. */
  private async measure(samples: SampleText[], counter: TokenCounter, job: Job): Promise<number[]> {
    const out: number[] = [];
    let sliceStart = Date.now();
    for (const s of samples) {
      if (Date.now() - sliceStart > SLICE_MS) {
        await nextTurn();
        if (job.cancelled) throw new Cancelled();
        sliceStart = Date.now();
      }
      out.push(sampleTokens(s, counter));
    }
    return out;
  }

  /** LLaMA-Factory joins a relative media path to media_dir (mm_plugin's _regularize_*); an absolute one stays. */
  private mediaExists(mediaDir: string, p: string): boolean {
    return fileExists(this.host, path.isAbsolute(p) ? p : path.join(mediaDir, p));
  }
}

function failedScan(job: Job, e: unknown): FileScan {
  const detail = `unreadable:${e instanceof Error ? e.message : String(e)}`;
  return {
    path: job.request.path,
    format: job.request.format,
    size: job.size,
    count: undefined,
    exact: false,
    bytesRead: 0,
    inspection: { records: 0, columns: [], firstLine: 0, readProblems: [{ count: 1, line: 0, record: -1, detail }], dropped: {}, droppedTotal: 0, media: { checked: 0 } },
    lengths: [],
    maxTokens: 0,
    counter: { kind: 'chars', source: '' },
  };
}
