// Arrow IPC files as Hugging Face `datasets` writes them (`save_to_disk`,
// data-00000-of-00001.arrow: the streaming format; the file format, which
// starts with "ARROW1", holds the record batches after its magic and the
// schema in its footer, which some writers do not repeat up front). Only the
// message headers are read: the schema's column names and the row count
// summed over the record batches; bodies are skipped, never decoded. The
// headers are FlatBuffers (format/Message.fbs, format/Schema.fbs of Apache
// Arrow), read here directly: a full Arrow library is megabytes for two facts.
import type { ByteSource } from './source';
import { Cancelled } from './source';

export interface ArrowSummary {
  rows: number;
  columns: string[];
}

/** Message.fbs MessageHeader union tags. */
const SCHEMA = 1;
const RECORD_BATCH = 3;
const CONTINUATION = 0xffffffff;
/** Bounds against a corrupt length: no header is this large, and no stream has this many messages. */
const MAX_HEADER_BYTES = 16 << 20;
const MAX_MESSAGES = 10_000_000;
const MAGIC = 'ARROW1';

/** A FlatBuffers table reader over one message header. */
class Table {
  constructor(private readonly view: DataView, readonly at: number) {}

  /** The position of field `id`, or 0 when the table does not have it (vtable entry 0 or past the vtable). */
  private field(id: number): number {
    const vtable = this.at - this.view.getInt32(this.at, true);
    const size = this.view.getUint16(vtable, true);
    const entry = 4 + 2 * id;
    const offset = entry < size ? this.view.getUint16(vtable + entry, true) : 0;
    return offset ? this.at + offset : 0;
  }

  u8(id: number): number {
    const p = this.field(id);
    return p ? this.view.getUint8(p) : 0;
  }

  i64(id: number): number {
    const p = this.field(id);
    return p ? Number(this.view.getBigInt64(p, true)) : 0;
  }

  table(id: number): Table | undefined {
    const p = this.field(id);
    return p ? new Table(this.view, p + this.view.getUint32(p, true)) : undefined;
  }

  string(id: number): string | undefined {
    const p = this.field(id);
    if (!p) return undefined;
    const s = p + this.view.getUint32(p, true);
    return new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + s + 4, this.view.getUint32(s, true)));
  }

  tables(id: number): Table[] {
    const p = this.field(id);
    if (!p) return [];
    const v = p + this.view.getUint32(p, true);
    const out: Table[] = [];
    for (let i = 0, n = this.view.getUint32(v, true); i < n; i++) {
      const e = v + 4 + 4 * i;
      out.push(new Table(this.view, e + this.view.getUint32(e, true)));
    }
    return out;
  }
}

/** Schema.fbs: the names of a Schema table's top-level fields. */
function fieldNames(schema: Table | undefined): string[] {
  return (schema?.tables(1) ?? []).map((f, i) => f.string(0) ?? `column ${i}`);
}

/** The file format's footer (File.fbs Footer: its field 1 is the schema), found from the file's end: footer, int32 length, magic. */
async function footerColumns(source: ByteSource): Promise<string[] | undefined> {
  if (source.size < 8 + MAGIC.length + 4) return undefined;
  const tail = await source.read(source.size - MAGIC.length - 4, source.size);
  const length = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
  const start = source.size - MAGIC.length - 4 - length;
  if (length <= 0 || length > MAX_HEADER_BYTES || start < 8) return undefined;
  return fieldNames(root(await source.read(start, start + length)).table(1));
}

function root(bytes: Uint8Array): Table {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Table(view, view.getUint32(0, true));
}

/** The schema and the row count of an Arrow IPC stream or file; throws on anything that is not one. */
export async function readArrow(source: ByteSource, cancelled: () => boolean = () => false): Promise<ArrowSummary> {
  const head = await source.read(0, Math.min(source.size, 8));
  // The file format: magic, two bytes of padding, then the stream.
  const fileFormat = new TextDecoder().decode(head.subarray(0, MAGIC.length)) === MAGIC;
  let at = fileFormat ? 8 : 0;
  let columns = fileFormat ? await footerColumns(source) : undefined;
  let rows = 0;
  for (let n = 0; n < MAX_MESSAGES && at + 4 <= source.size; n++) {
    if (cancelled()) throw new Cancelled();
    const prefix = await source.read(at, Math.min(source.size, at + 8));
    const word = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    // Since Arrow 0.15 each message starts with a continuation marker; older streams start with the length.
    const marked = word.getUint32(0, true) === CONTINUATION;
    if (marked && prefix.length < 8) break;
    const length = marked ? word.getInt32(4, true) : word.getInt32(0, true);
    if (length === 0) break; // end of stream
    if (length < 0 || length > MAX_HEADER_BYTES) throw new Error(`bad Arrow message length ${length} at byte ${at}`);
    at += marked ? 8 : 4;
    const message = root(await source.read(at, at + length));
    at += length;
    const kind = message.u8(1);
    const body = message.i64(3);
    const batchRows = kind === RECORD_BATCH ? message.table(2)?.i64(0) ?? 0 : 0;
    if (body < 0 || batchRows < 0) throw new Error(`bad Arrow message at byte ${at - length}`);
    if (kind === SCHEMA) columns = fieldNames(message.table(2));
    rows += batchRows;
    at += body;
  }
  if (!columns) throw new Error('no Arrow schema message');
  return { rows, columns };
}
