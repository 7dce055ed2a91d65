/** The command line's streams, password input and progress display. */
import { SingleBar } from 'cli-progress';
import { CliError, EXIT_FAILED } from './errors';

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Exit code for an interrupted prompt (128 + SIGINT), as shells report Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
const MAX_SECRET_BYTES = 4096;

/**
 * Reads a secret from a terminal without echoing it. Keys: Enter ends, Backspace deletes,
 * Ctrl-U clears, Ctrl-C aborts. The prompt goes to `output` (stderr), never to stdout.
 */
export function promptHidden(
  prompt: string,
  input: InputStream,
  output: OutputStream,
): Promise<string> {
  const setRawMode = input.setRawMode?.bind(input);
  if (!setRawMode) {
    return Promise.reject(new CliError('This input cannot hide what is typed.', EXIT_FAILED));
  }
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw ?? false;
    let chars: string[] = [];
    const finish = (err?: Error) => {
      input.removeListener('data', onData);
      setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(chars.join(''));
      chars = [];
    };
    const onData = (data: Buffer | string) => {
      const text = typeof data === 'string' ? data : data.toString('utf8');
      // An escape sequence (arrow keys, function keys) arrives as one chunk: ignore it whole.
      if (text.startsWith('\u001b')) return;
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError('Cancelled.', EXIT_INTERRUPTED));
        if (ch === '\u0004') {
          if (chars.length === 0) return finish(new CliError('No password was entered.'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') chars.pop();
        else if (ch === '\u0015') chars = [];
        else if (ch >= ' ') chars.push(ch);
        if (chars.length > MAX_SECRET_BYTES) {
          return finish(new CliError('The password is too long.'));
        }
      }
    };
    output.write(prompt);
    setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The first line of standard input (without its line ending), as `--password-stdin` takes it.
 * Stops reading at the first newline and leaves the rest for the next read; null when the input
 * is empty.
 */
export function readFirstLine(input: InputStream): Promise<string | null> {
  // An earlier read (the key's line) may have taken the last line: the stream has ended.
  if ((input as { readableEnded?: boolean }).readableEnded) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null, line?: string | null) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      input.pause();
      if (err) reject(err);
      else resolve(line ?? null);
    };
    const text = () => Buffer.concat(chunks).toString('utf8');
    const onData = (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      chunks.push(chunk);
      size += chunk.length;
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      if (newline >= 0) {
        // What follows the line is the next reader's (the key's line, then the password's).
        const rest = all.subarray(newline + 1);
        input.removeListener('data', onData);
        if (rest.length > 0) input.unshift(rest);
        return done(null, all.subarray(0, newline).toString('utf8').replace(/\r$/, ''));
      }
      if (size > MAX_SECRET_BYTES) done(new CliError('The first line of the input is too long.'));
    };
    const onEnd = () => done(null, size === 0 ? null : text().replace(/\r$/, ''));
    const onError = () => done(new CliError('Could not read standard input.'));
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/**
 * A progress bar on a terminal; elsewhere (a log file, CI) a plain line at every tenth of the
 * work, so that the output stays readable.
 */
export function progress(stream: OutputStream, total: number, noun: string): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `{bar} {percentage}% | {value}/{total} ${noun} | {speed} ${noun}/s | ETA {eta_formatted}`,
      barsize: 30,
      hideCursor: false,
      etaBuffer: 20,
      formatValue: (v, _o, type) =>
        type === 'value' || type === 'total' ? formatCount(Number(v)) : String(v),
    });
    const started = performance.now();
    bar.start(total, 0, { speed: '0' });
    return {
      update(done) {
        const seconds = (performance.now() - started) / 1000;
        bar.update(done, { speed: formatCount(Math.round(done / Math.max(seconds, 0.001))) });
      },
      stop: () => bar.stop(),
    };
  }
  let nextTenth = 1;
  return {
    update(done) {
      if (total === 0 || done < (total * nextTenth) / 10) return;
      while (done >= (total * nextTenth) / 10 && nextTenth <= 10) nextTenth++;
      const percent = Math.floor((done / total) * 100);
      stream.write(`${formatCount(done)} of ${formatCount(total)} ${noun} (${percent}%)\n`);
    },
    stop() {},
  };
}
