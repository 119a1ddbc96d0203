// Streamed readers for the file types LLaMA-Factory loads (json, jsonl, csv,
// txt; parquet in parquet.ts). Text arrives in pieces and each record is
// handed on as soon as it is complete, so memory stays bounded by the largest
// record, not the file. A bad record is reported with its line and skipped;
// reading goes on.

export interface DataRecord {
  /** 0-based position among the file's records. */
  index: number;
  /** 0-based line of the record's first character. */
  line: number;
  value: unknown;
}

export type ReadProblemKind = 'malformed' | 'too-large' | 'binary' | 'not-array' | 'unreadable';

export interface ReadProblem {
  kind: ReadProblemKind;
  /** 0-based line in the data file. */
  line: number;
  /** The parser's words, for the message. */
  detail: string;
}

export interface RecordSink {
  record(r: DataRecord): void;
  problem(p: ReadProblem): void;
}

/** A reader takes text pieces in order, then `end()`. */
export interface RecordReader {
  push(piece: string): void;
  end(): void;
}

/** Records longer than this are reported and skipped rather than held (a 1 GB single line must not be buffered). */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Collects the text of one record from pieces without quadratic concatenation; drops it past the cap. */
class RecordText {
  private parts: string[] = [];
  private length = 0;
  overflow = false;

  add(s: string): void {
    if (this.overflow || s === '') return;
    this.length += s.length;
    if (this.length > MAX_RECORD_CHARS) {
      this.overflow = true;
      this.parts = [];
    } else this.parts.push(s);
  }

  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.overflow = false;
    return text;
  }

  get empty(): boolean {
    return this.length === 0;
  }
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Line-by-line reader: JSON Lines (`json` = true) or plain text lines as `{ text }` (the `text` loader). */
export class LineReader implements RecordReader {
  private current = new RecordText();
  private line = 0;
  private index = 0;

  constructor(private readonly sink: RecordSink, private readonly json: boolean) {}

  push(piece: string): void {
    let from = 0;
    for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', from)) {
      this.current.add(piece.slice(from, nl));
      this.finishLine();
      from = nl + 1;
    }
    this.current.add(piece.slice(from));
  }

  end(): void {
    if (!this.current.empty || this.current.overflow) this.finishLine();
  }

  private finishLine(): void {
    const line = this.line++;
    if (this.current.overflow) {
      this.current.take();
      this.sink.problem({ kind: 'too-large', line, detail: String(MAX_RECORD_CHARS) });
      return;
    }
    const text = this.current.take().replace(/\r$/, '');
    if (!this.json) {
      this.sink.record({ index: this.index++, line, value: { text } });
      return;
    }
    if (text.trim() === '') return;
    const parsed = parseJson(text);
    if ('error' in parsed) this.sink.problem({ kind: 'malformed', line, detail: parsed.error });
    else this.sink.record({ index: this.index++, line, value: parsed.value });
  }
}

const enum C {
  Newline = 10,
  Quote = 34,
  Comma = 44,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

/**
 * A `.json` file: a top-level array whose elements are split out by tracking
 * strings and nesting, each parsed on its own. A file that starts with `{` is
 * JSON Lines, as the `datasets` json loader falls back to.
 */
export class JsonFileReader implements RecordReader {
  private mode: 'start' | 'array' | 'lines' | 'done' = 'start';
  private lines: LineReader | undefined;
  private current = new RecordText();
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 0;
  private recordLine = 0;
  private index = 0;
  private inElement = false;

  constructor(private readonly sink: RecordSink) {}

  push(piece: string): void {
    if (this.mode === 'lines') return this.lines!.push(piece);
    if (this.mode === 'start') {
      const first = piece.search(/[^\s\ufeff]/);
      if (first < 0) {
        this.line += count(piece, '\n');
        return;
      }
      const c = piece.charCodeAt(first);
      if (c === C.OpenBrace) {
        this.mode = 'lines';
        this.lines = new LineReader(this.sink, true);
        return this.lines.push(piece);
      }
      this.line += count(piece.slice(0, first), '\n');
      if (c !== C.OpenBracket) {
        this.sink.problem({ kind: 'not-array', line: this.line, detail: piece.slice(first, first + 20) });
        this.mode = 'done';
        return;
      }
      this.mode = 'array';
      this.depth = 1;
      piece = piece.slice(first + 1);
    }
    if (this.mode === 'array') this.scan(piece);
  }

  end(): void {
    if (this.mode === 'lines') this.lines!.end();
    else if (this.mode === 'array') {
      if (this.inElement) this.finishElement();
      this.sink.problem({ kind: 'malformed', line: this.line, detail: 'unterminated array' });
    }
  }

  private scan(piece: string): void {
    let start = this.inElement ? 0 : -1;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c === C.Newline) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === C.Backslash) this.escaped = true;
        else if (c === C.Quote) this.inString = false;
        continue;
      }
      if (!this.inElement) {
        if (isSpace(c) || c === C.Comma) continue;
        if (c === C.CloseBracket && this.depth === 1) {
          this.mode = 'done';
          return;
        }
        this.inElement = true;
        this.recordLine = this.line;
        start = i;
      }
      if (c === C.Quote) this.inString = true;
      else if (c === C.OpenBrace || c === C.OpenBracket) this.depth++;
      else if (c === C.CloseBrace || c === C.CloseBracket || c === C.Comma) {
        if (this.depth === 1) {
          this.current.add(piece.slice(start, i));
          this.finishElement();
          start = -1;
          if (c === C.CloseBracket) {
            this.mode = 'done';
            return;
          }
          continue;
        }
        if (c !== C.Comma) this.depth--;
      }
    }
    if (this.inElement && start >= 0) this.current.add(piece.slice(start));
  }

  private finishElement(): void {
    this.inElement = false;
    if (this.current.overflow) {
      this.current.take();
      this.sink.problem({ kind: 'too-large', line: this.recordLine, detail: String(MAX_RECORD_CHARS) });
      this.index++;
      return;
    }
    const parsed = parseJson(this.current.take());
    if ('error' in parsed) this.sink.problem({ kind: 'malformed', line: this.recordLine, detail: parsed.error });
    else this.sink.record({ index: this.index, line: this.recordLine, value: parsed.value });
    this.index++;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** RFC 4180 CSV: the first row names the columns; quoted fields may hold commas, quotes and newlines. */
export class CsvReader implements RecordReader {
  private header: string[] | undefined;
  private fields: string[] = [];
  private field = new RecordText();
  private inQuotes = false;
  private quotePending = false;
  private line = 0;
  private recordLine = 0;
  private index = 0;
  private rowChars = 0;
  private tooLarge = false;

  constructor(private readonly sink: RecordSink) {}

  push(piece: string): void {
    let from = 0;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (this.quotePending) {
        this.quotePending = false;
        if (c === C.Quote) {
          // A doubled quote inside a quoted field is one literal quote.
          this.field.add('"');
          this.inQuotes = true;
          from = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (c === C.Newline) this.line++;
        if (c === C.Quote) {
          this.add(piece.slice(from, i));
          this.inQuotes = false;
          this.quotePending = true;
          from = i + 1;
        }
        continue;
      }
      if (c === C.Quote) {
        this.add(piece.slice(from, i));
        this.inQuotes = true;
        from = i + 1;
      } else if (c === C.Comma) {
        this.add(piece.slice(from, i));
        this.endField();
        from = i + 1;
      } else if (c === C.Newline) {
        this.add(piece.slice(from, i).replace(/\r$/, ''));
        this.endRow();
        this.line++;
        this.recordLine = this.line;
        from = i + 1;
      }
    }
    this.add(piece.slice(from));
  }

  end(): void {
    if (this.inQuotes) this.sink.problem({ kind: 'malformed', line: this.recordLine, detail: 'unterminated quoted field' });
    if (!this.field.empty || this.fields.length > 0) this.endRow();
  }

  private add(s: string): void {
    this.rowChars += s.length;
    if (this.rowChars > MAX_RECORD_CHARS) this.tooLarge = true;
    this.field.add(s);
  }

  private endField(): void {
    this.fields.push(this.field.overflow ? '' : this.field.take());
    if (this.field.overflow) this.field.take();
  }

  private endRow(): void {
    this.endField();
    const fields = this.fields;
    this.fields = [];
    const tooLarge = this.tooLarge;
    this.tooLarge = false;
    this.rowChars = 0;
    if (fields.length === 1 && fields[0] === '') return;
    if (tooLarge) {
      this.sink.problem({ kind: 'too-large', line: this.recordLine, detail: String(MAX_RECORD_CHARS) });
      return;
    }
    if (!this.header) {
      this.header = fields;
      return;
    }
    const value: Record<string, string> = {};
    this.header.forEach((name, i) => (value[name] = fields[i] ?? ''));
    this.sink.record({ index: this.index++, line: this.recordLine, value });
  }

  /** The column names from the header row. */
  get columns(): string[] {
    return this.header ?? [];
  }
}
