/**
 * The import file, from the workstation where the user picked it to the team server (issue 15):
 * streamed, never read whole into memory, with its size declared first so that the server
 * refuses a file over MAX_UPLOAD_BYTES before a byte is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import type { Result } from '../../shared/errors';
import {
  FILE_NAME_HEADER,
  MAX_UPLOAD_BYTES,
  UPLOAD_CHECK_PATH,
  UPLOAD_PATH,
  invokeResponse,
} from '../../shared/team-wire';
import type { Wire } from './files';

/** The shape jobs.progress answers, so the import screen can show an upload like a pass. */
export interface UploadProgress {
  done: number;
  total: number;
  finished: boolean;
}

/** Asks whether this session may upload an import file: null, or the refusal. */
export async function mayUpload(wire: Wire, token: string): Promise<Result<never> | null> {
  const res = await request(new URL(UPLOAD_CHECK_PATH, wire.base), {
    method: 'POST',
    dispatcher: await wire.agent(),
    headers: { ...wire.headers(token), 'content-type': 'application/json' },
    body: '{}',
  });
  const answer = invokeResponse.safeParse(await res.body.json().catch(() => null));
  if (!answer.success) throw new Error(`the server answered ${res.statusCode}`);
  return answer.data.result.ok ? null : (answer.data.result as Result<never>);
}

/** Uploads `file`; null when the server has it, or the refusal the user should see. */
export async function uploadImportFile(
  wire: Wire,
  token: string,
  file: string,
  onProgress?: (p: UploadProgress) => void,
): Promise<Result<never> | null> {
  const name = path.basename(file);
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    return {
      ok: false,
      error: { code: 'NOT_FOUND', message: `${name} cannot be opened. Choose another file.` },
    };
  }
  if (size > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION',
        message: `${name} is ${Math.ceil(size / 1024 / 1024)} MB; an import file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
      },
    };
  }
  let done = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of fs.createReadStream(file)) {
      done += (chunk as Buffer).length;
      onProgress?.({ done, total: size, finished: false });
      yield chunk as Buffer;
    }
  }
  const res = await request(new URL(UPLOAD_PATH, wire.base), {
    method: 'POST',
    dispatcher: await wire.agent(),
    headers: {
      ...wire.headers(token),
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      [FILE_NAME_HEADER]: encodeURIComponent(name),
    },
    body: Readable.from(counted()),
  });
  const answer = invokeResponse.safeParse(await res.body.json().catch(() => null));
  onProgress?.({ done, total: size, finished: true });
  if (!answer.success) throw new Error(`the server answered ${res.statusCode} to the upload`);
  return answer.data.result.ok ? null : (answer.data.result as Result<never>);
}
