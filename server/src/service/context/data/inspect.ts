// What LLaMA-Factory's dataset converters (data/converter.py) would make of
// each record: the columns a dataset_info.json entry maps, the sharegpt role
// order, ranking and KTO fields, and the media files a sample names. Records
// arrive one at a time; only counts, first occurrences and a bounded sample
// of texts (for token lengths) are kept.
import type { DatasetAttr } from './registry';
import type { DataRecord, ReadProblem, RecordSink } from './readers';

/** First occurrence and count of one kind of finding. */
export interface Occurrence {
  count: number;
  /** 0-based line in the data file of the first one. */
  line: number;
  /** Record index of the first one. */
  record: number;
  detail: string;
}

export type DropReason = 'role-order' | 'message-count' | 'no-response' | 'ranking-shape' | 'kto-tag' | 'not-object';

/** One sample's texts as the template would see them: alternatives (chosen / rejected), each a list of turns. */
export type SampleText = string[][];

export interface Inspection {
  records: number;
  /** Every key seen on a record (bounded). */
  columns: string[];
  /** Line of the first record, for related locations. */
  firstLine: number;
  readProblems: Occurrence[];
  dropped: Partial<Record<DropReason, Occurrence>>;
  droppedTotal: number;
  media: { checked: number; missing?: Occurrence };
  /** A uniform sample of records' texts and the longest records by characters. */
  sample: SampleText[];
  longest: SampleText[];
}

/** Records whose texts are kept for token lengths (uniform reservoir) and the longest ones by characters. */
export const SAMPLE_RECORDS = 1000;
const LONGEST_RECORDS = 8;
const MAX_COLUMNS = 1000;
/** Media paths looked up per file: each is a synchronous stat through the host. */
const MAX_MEDIA_CHECKS = 2000;
const MEDIA_COLUMNS = ['images', 'videos', 'audios'] as const;
const REMOTE = /^(https?|s3|gs|data|oss|file):/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

/** A small deterministic generator, so the same file always yields the same sample. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export class Inspector implements RecordSink {
  private readonly seen = new Set<string>();
  private readonly out: Inspection = { records: 0, columns: [], firstLine: -1, readProblems: [], dropped: {}, droppedTotal: 0, media: { checked: 0 }, sample: [], longest: [] };
  private readonly longestChars: number[] = [];
  private readonly random = lcg(0x5eed);

  constructor(
    private readonly attr: DatasetAttr,
    /** Whether a media path (as written in the record) resolves to a file. */
    private readonly mediaExists: ((p: string) => boolean) | undefined,
  ) {}

  problem(p: ReadProblem): void {
    const kind = this.out.readProblems.find((o) => o.detail.startsWith(`${p.kind}:`));
    if (kind) kind.count++;
    else this.out.readProblems.push({ count: 1, line: p.line, record: -1, detail: `${p.kind}:${p.detail}` });
  }

  record(r: DataRecord): void {
    const o = this.out;
    o.records++;
    if (o.firstLine < 0) o.firstLine = r.line;
    if (!isObject(r.value)) return this.drop('not-object', r, typeof r.value);
    const value = r.value;
    if (this.seen.size < MAX_COLUMNS) for (const k of Object.keys(value)) this.seen.add(k);
    // The openai converter merges tool responses and maps tool_calls before its role check: not modelled, so no drops.
    const f = this.attr.formatting;
    const reason = f === 'alpaca' ? this.alpaca(value) : f === 'sharegpt' ? this.sharegpt(value) : undefined;
    if (reason) this.drop(reason[0], r, reason[1]);
    this.checkMedia(value, r);
    this.keep(this.texts(value));
  }

  /** What an Arrow schema tells without records: the columns and the row count (no per-record check runs). */
  schema(columns: readonly string[], rows: number): void {
    for (const c of columns.slice(0, MAX_COLUMNS)) this.seen.add(c);
    this.out.records = rows;
    if (this.out.firstLine < 0) this.out.firstLine = 0;
  }

  result(): Inspection {
    this.out.columns = [...this.seen];
    return this.out;
  }

  private drop(reason: DropReason, r: DataRecord, detail: string): void {
    this.out.droppedTotal++;
    const hit = this.out.dropped[reason];
    if (hit) hit.count++;
    else this.out.dropped[reason] = { count: 1, line: r.line, record: r.index, detail };
  }

  /** AlpacaDatasetConverter: a sample without a usable response is dropped. */
  private alpaca(v: Record<string, unknown>): [DropReason, string] | undefined {
    const c = this.attr.columns;
    if (c.kto_tag && c.kto_tag in v) return typeof v[c.kto_tag] === 'boolean' ? undefined : ['kto-tag', str(v[c.kto_tag])];
    if (this.attr.ranking) {
      const ok = c.chosen && c.rejected && typeof v[c.chosen] === 'string' && typeof v[c.rejected] === 'string';
      return ok ? undefined : ['ranking-shape', `${c.chosen ?? '—'}/${c.rejected ?? '—'}`];
    }
    if (c.response && typeof v[c.response] !== 'string' && c.response in v) return ['no-response', str(v[c.response]).slice(0, 40)];
    return undefined;
  }

  /** SharegptDatasetConverter: roles must alternate user/observation then assistant/function. */
  private sharegpt(v: Record<string, unknown>): [DropReason, string] | undefined {
    const { tags, columns, ranking } = this.attr;
    const raw = columns.messages ? v[columns.messages] : undefined;
    if (!Array.isArray(raw)) return columns.messages && columns.messages in v ? ['role-order', 'not a list'] : undefined;
    const roleTag = tags.role_tag ?? 'from';
    let messages = raw;
    if (tags.system_tag && isObject(messages[0]) && messages[0][roleTag] === tags.system_tag) messages = messages.slice(1);
    const accept = [[tags.user_tag, tags.observation_tag], [tags.assistant_tag, tags.function_tag]];
    for (let i = 0; i < messages.length; i++) {
      const role = isObject(messages[i]) ? (messages[i] as Record<string, unknown>)[roleTag] : undefined;
      if (typeof role !== 'string' || !accept[i % 2].includes(role)) return ['role-order', `${i}:${str(role)}`];
    }
    if ((messages.length % 2 === 0) === ranking || messages.length === 0) return ['message-count', String(messages.length)];
    if (columns.kto_tag && columns.kto_tag in v && typeof v[columns.kto_tag] !== 'boolean') return ['kto-tag', str(v[columns.kto_tag])];
    if (ranking) {
      const pick = (k: string | undefined) => (k ? v[k] : undefined);
      const chosen = pick(columns.chosen);
      const rejected = pick(columns.rejected);
      const ok = isObject(chosen) && isObject(rejected) && accept[1].includes(chosen[roleTag] as string) && accept[1].includes(rejected[roleTag] as string);
      if (!ok) return ['ranking-shape', `${columns.chosen ?? '—'}/${columns.rejected ?? '—'}`];
    }
    return undefined;
  }

  private checkMedia(v: Record<string, unknown>, r: DataRecord): void {
    const exists = this.mediaExists;
    if (!exists) return;
    const media = this.out.media;
    for (const role of MEDIA_COLUMNS) {
      const column = this.attr.columns[role];
      if (!column) continue;
      const value = v[column];
      for (const item of Array.isArray(value) ? value : [value]) {
        const p = typeof item === 'string' ? item : isObject(item) && typeof item.path === 'string' && !item.bytes ? item.path : undefined;
        if (!p || REMOTE.test(p) || media.checked >= MAX_MEDIA_CHECKS) continue;
        media.checked++;
        if (exists(p)) continue;
        if (media.missing) media.missing.count++;
        else media.missing = { count: 1, line: r.line, record: r.index, detail: p };
      }
    }
  }

  /** The texts one sample puts through the template: prompt turns, then each alternative answer. */
  private texts(v: Record<string, unknown>): SampleText {
    const c = this.attr.columns;
    const system = c.system ? str(v[c.system]) : '';
    const tools = c.tools ? str(v[c.tools]) : '';
    const head = [system + tools].filter((s) => s !== '');
    let prompt: string[];
    let answers: string[];
    if (this.attr.formatting !== 'alpaca') {
      const content = this.attr.tags.content_tag ?? 'value';
      const turns = c.messages && Array.isArray(v[c.messages]) ? (v[c.messages] as unknown[]) : [];
      prompt = turns.map((m) => (isObject(m) ? str(m[content]) : str(m)));
      const alt = (k: string | undefined) => (k && isObject(v[k]) ? str((v[k] as Record<string, unknown>)[content]) : undefined);
      answers = [alt(c.chosen), alt(c.rejected)].filter((a): a is string => a !== undefined);
    } else {
      const history = c.history && Array.isArray(v[c.history]) ? (v[c.history] as unknown[]).flatMap((h) => (Array.isArray(h) ? h.map(str) : [])) : [];
      const query = [c.prompt ? str(v[c.prompt]) : '', c.query ? str(v[c.query]) : ''].filter((s) => s !== '').join('\n');
      prompt = [...history, query];
      answers = this.attr.ranking ? [c.chosen ? str(v[c.chosen]) : '', c.rejected ? str(v[c.rejected]) : ''] : [c.response ? str(v[c.response]) : ''];
    }
    const base = [...head, ...prompt];
    return answers.length > 0 ? answers.map((a) => [...base, a]) : [base];
  }

  private keep(sample: SampleText): void {
    const o = this.out;
    if (o.sample.length < SAMPLE_RECORDS) o.sample.push(sample);
    else {
      // Reservoir sampling (Algorithm R): every record read has the same chance to be kept.
      const j = Math.floor(this.random() * o.records);
      if (j < SAMPLE_RECORDS) o.sample[j] = sample;
    }
    const chars = Math.max(...sample.map((alt) => alt.reduce((s, t) => s + t.length, 0)));
    if (o.longest.length < LONGEST_RECORDS) {
      o.longest.push(sample);
      this.longestChars.push(chars);
      return;
    }
    let min = 0;
    for (let i = 1; i < this.longestChars.length; i++) if (this.longestChars[i] < this.longestChars[min]) min = i;
    if (chars > this.longestChars[min]) {
      o.longest[min] = sample;
      this.longestChars[min] = chars;
    }
  }
}
