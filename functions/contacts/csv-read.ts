import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';

/** One CSV record: its cells, the line it starts on, and the record boundary after it. */
export interface CsvRecord {
  cells: string[];
  /** 1-based line where the record starts (a quoted field may span several lines). */
  line: number;
  /** Byte offset just after the record's delimiter: a safe place to resume. */
  endByte: number;
  /** Newlines in the file before endByte, so a resumed run keeps counting lines. */
  newlines: number;
}

export interface CsvPosition {
  byte: number;
  newlines: number;
}

/** The file cannot be read past `line` (an unclosed quote, a record over the size limit). */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export const delimiters = { comma: ',', semicolon: ';', tab: '\t' } as const;
export type DelimiterName = keyof typeof delimiters;

/** A contact row is a few hundred bytes; anything this large is a broken quote, not a row. */
const MAX_RECORD_BYTES = 64 * 1024;
const FEED_BYTES = 64 * 1024;
const LF = 0x0a;
const CR = 0x0d;

const messages: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed, so the rest of the file cannot be read',
  CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_RECORD_BYTES} bytes (usually an unbalanced quote)`,
};

/**
 * Streams the records of a UTF-8 CSV (BOM tolerated) from a record boundary, one 64 KB slice
 * at a time (the next slice is parsed only once the caller has taken the records of the last).
 * Records are taken in `on_record`, not from the stream: a stream that fails drops the records
 * it had buffered, and we must process every record before a broken one. Line numbers are
 * counted from the bytes rather than taken from csv-parse's `info.lines`, which counts a CRLF
 * inside a quoted field as two lines and names the line a record ends on.
 */
export async function* readCsv(
  bytes: Uint8Array,
  from: CsvPosition,
  delimiter: string,
): AsyncGenerator<CsvRecord> {
  const taken: { cells: string[]; bytes: number }[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    // Every common line ending, mixed within a file too (auto-detection fixes on the first one seen).
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (cells, context) => {
      taken.push({ cells, bytes: context.bytes });
      return null;
    },
  });
  parser.on('error', () => {});
  parser.resume();
  let counted = from.byte;
  let newlines = from.newlines;
  const advance = (to: number) => {
    for (; counted < to; counted += 1) if (bytes[counted] === LF) newlines += 1;
  };
  /** The line of the first non-empty line at or after the current position. */
  const nextLine = () => {
    let at = counted;
    while (at < bytes.length && (bytes[at] === LF || bytes[at] === CR)) at += 1;
    advance(at);
    return newlines + 1;
  };
  function* drain(): Generator<CsvRecord> {
    for (const record of taken.splice(0)) {
      const line = nextLine();
      const endByte = from.byte + record.bytes;
      advance(endByte);
      yield { cells: record.cells, line, endByte, newlines };
    }
  }
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) =>
      parser.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
  try {
    for (let at = from.byte; at < bytes.length; at += FEED_BYTES) {
      const failure = await write(bytes.subarray(at, at + FEED_BYTES)).then(
        () => undefined,
        (error: unknown) => error,
      );
      yield* drain();
      if (failure) throw failure;
    }
    parser.end();
    const failure = await finished(parser).then(
      () => undefined,
      (error: unknown) => error,
    );
    yield* drain();
    if (failure) throw failure;
  } catch (error) {
    if (error instanceof CsvError) {
      throw new CsvFormatError(nextLine(), messages[error.code] ?? `the CSV cannot be read (${error.code})`);
    }
    throw error;
  } finally {
    parser.destroy();
  }
}
