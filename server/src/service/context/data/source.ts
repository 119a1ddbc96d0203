// A data file as the host hands it out: its size and byte ranges. Text is
// streamed from it in fixed pieces, each read awaited, so a scan gives the
// event loop back between pieces and a 1 GB file is never held at once.
import type { ServiceHost } from '../../types';

export interface ByteSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Bytes read per piece: small enough that parsing one takes a few milliseconds. */
export const PIECE_BYTES = 256 * 1024;

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export function byteSource(host: ServiceHost, path: string, size: number): ByteSource | undefined {
  const readBytes = host.readBytes;
  return readBytes ? { size, read: (start, end) => readBytes(path, start, end) } : undefined;
}

/** A NUL byte in text data means a binary file read under a text extension. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/**
 * Decoded text of the first `limit` bytes, piece by piece. `onPiece` gets the
 * bytes read so far; `cancelled` is asked before each read. Stops early when
 * `onPiece` returns false.
 */
export async function streamText(
  source: ByteSource,
  limit: number,
  cancelled: () => boolean,
  onPiece: (text: string, bytesRead: number, first: Uint8Array | undefined) => boolean,
): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  const end = Math.min(limit, source.size);
  let at = 0;
  while (at < end) {
    if (cancelled()) throw new Cancelled();
    const bytes = await source.read(at, Math.min(end, at + PIECE_BYTES));
    if (bytes.length === 0) break;
    const first = at === 0 ? bytes : undefined;
    at += bytes.length;
    if (!onPiece(decoder.decode(bytes, { stream: at < end }), at, first)) return at;
  }
  const rest = decoder.decode();
  if (rest) onPiece(rest, at, undefined);
  return at;
}
