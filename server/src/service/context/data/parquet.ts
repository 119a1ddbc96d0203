// Parquet through hyparquet (MIT, pure JavaScript, no native code): the row
// count comes exact from the footer, and only the first rows are decoded for
// the checks. hyparquet is an ES module, loaded on first use.
import type { ByteSource } from './source';
import type { RecordSink } from './readers';

export interface ParquetSummary {
  rows: number;
  columns: string[];
}

/** Reads the footer and the first `sampleRows` rows into `sink`; a file hyparquet cannot read becomes one problem. */
export async function readParquet(source: ByteSource, sampleRows: number, sink: RecordSink): Promise<ParquetSummary | undefined> {
  const file = {
    byteLength: source.size,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      const bytes = await source.read(start, end ?? source.size);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  try {
    const { parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
    const metadata = await parquetMetadataAsync(file);
    const rows = Number(metadata.num_rows);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    const objects = await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd: Math.min(rows, sampleRows) });
    objects.forEach((value, index) => sink.record({ index, line: 0, value }));
    return { rows, columns };
  } catch (e) {
    sink.problem({ kind: 'unreadable', line: 0, detail: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}
