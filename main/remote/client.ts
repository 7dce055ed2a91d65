/**
 * The workstation's side of team mode: the same invoke surface main's IPC wiring uses on the
 * embedded backend (openSession, invoke, closeSession), answered by the team server over HTTPS.
 * The server's certificate is pinned by fingerprint (pin.ts); a session token lives only in this
 * object's memory, never on disk, and is dropped when the server says the session has ended.
 */
import { Agent, request } from 'undici';
import type { AppErrorShape, Result } from '../../shared/errors';
import {
  ENROL_PATH,
  INVOKE_PATH,
  invokeResponse,
  type ClientReport,
  type FileOffer,
  type InvokeRequest,
  type InvokeResponse,
} from '../../shared/team-wire';
import { makeWorkstationKey } from './enrol';
import { DeliveryRefused, FileCourier } from './files';
import { mayUpload, uploadImportFile, type UploadProgress } from './upload';
import { PinError, checkPinned, fetchPinnedCertificate, isFingerprint } from './pin';

export interface TeamServerAddress {
  /** https://host:port */
  url: string;
  /** The SHA-256 fingerprint of the server's certificate, as the administrator read it out. */
  fingerprint: string;
}

export interface RemoteOptions extends TeamServerAddress {
  /** What this workstation reports about itself (the server records what it sees beside it). */
  client: ClientReport;
  /** The enrolled workstation's client certificate (mutual TLS). */
  clientAuth?: { certPem: string; keyPem: string };
  timeoutMs?: number;
  /**
   * This workstation's export folder: files that exports and disclosures produce on the server
   * are fetched into it, checked and placed as the embedded mode places them. Without it, such
   * a file is abandoned and the call answers an error.
   */
  exportDir?: string;
  /** The OS file picker for an import; the picked file is uploaded to the server. */
  chooseImportFile?: () => Promise<string | null>;
  /** Progress of an import file's upload, in bytes (jobs.progress's shape). */
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** Channels that sign in: after one, files an interrupted delivery left are settled. */
const SIGN_IN = new Set(['auth.login', 'auth.unlock', 'setup.createFirstAdmin']);
/** A fetch cut by the network is tried again this many times before the file is abandoned. */
const FETCH_ATTEMPTS = 3;

/** One caller (a window): its token, in memory only. */
export class RemoteSession {
  token: string | null = null;
}

const unreachable = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'SERVER_UNREACHABLE', message },
});

export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a server address; write it as https://host:port.`);
  }
  if (url.protocol !== 'https:')
    throw new Error('The team server address must start with https://.');
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error('The team server address is https://host:port, without a path or a name.');
  }
  return url;
}

function describe(err: unknown): string {
  const code =
    (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code ?? (err as Error).message ?? 'no answer';
}

export class TeamServerClient {
  private readonly url: URL;
  private agent: Promise<Agent> | null = null;
  private readonly timeoutMs: number;
  private readonly courier: FileCourier | null;

  constructor(private readonly options: RemoteOptions) {
    this.url = parseServerUrl(options.url);
    if (!isFingerprint(options.fingerprint)) {
      throw new Error(
        'The fingerprint must be the 64 hexadecimal digits of SHA-256 (colons allowed), as the server printed it.',
      );
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.courier = options.exportDir
      ? new FileCourier(
          { base: this.url, agent: () => this.pinnedAgent(), headers: (t) => this.headers(t) },
          options.exportDir,
        )
      : null;
  }

  private headers(token: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'x-custodian-host': this.options.client.hostname };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  openSession(): RemoteSession {
    return new RemoteSession();
  }

  /** Forgets a window's session, and ends it on the server (best effort: it expires anyway). */
  closeSession(session: RemoteSession): void {
    if (session.token === null) return;
    void this.invoke(session, 'auth.logout', {}).catch(() => undefined);
  }

  private pinnedAgent(): Promise<Agent> {
    this.agent ??= (async () => {
      const { fingerprint, clientAuth } = this.options;
      const ca = await fetchPinnedCertificate(this.url, fingerprint, this.timeoutMs, clientAuth);
      return new Agent({
        connect: {
          ca,
          minVersion: 'TLSv1.3',
          // The pin replaces the host name check: the certificate is the one named, wherever.
          checkServerIdentity: (_host, cert) => checkPinned(this.url.origin, fingerprint, cert),
          ...(clientAuth ? { cert: clientAuth.certPem, key: clientAuth.keyPem } : {}),
        },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    })();
    // A failed first contact is tried afresh next time (the server may come up, or be fixed).
    this.agent.catch(() => (this.agent = null));
    return this.agent;
  }

  /**
   * One call as `session`. `sent.madeOfflineAt` marks the replay of a change made offline (set by
   * the outbox here in main, never by a window: the renderer's calls reach only `input`).
   */
  async invoke(
    session: RemoteSession,
    channel: string,
    input: unknown,
    sent: { madeOfflineAt?: string } = {},
  ): Promise<Result<unknown>> {
    if (channel === 'import.chooseFile' && this.options.chooseImportFile && session.token) {
      return this.pickAndUpload(session, input);
    }
    let answer: InvokeResponse;
    try {
      answer = await this.post(session, channel, input, this.takenNames(input), sent);
    } catch (err) {
      return this.failure(err);
    }
    if (answer.token !== undefined) session.token = answer.token;
    if (answer.files?.length && session.token) {
      const refused = await this.deliver(session.token, answer.files);
      if (refused) return refused;
    }
    if (SIGN_IN.has(channel) && answer.token && answer.result.ok) {
      await this.settlePendingFiles(session).catch(() => undefined);
    }
    return answer.result as Result<unknown>;
  }

  /**
   * Settles files a crash or a cut connection left between the server and this workstation:
   * called after every sign-in; the lead's wiring may also call it at start.
   */
  async settlePendingFiles(
    session: RemoteSession,
  ): Promise<{ delivered: string[]; abandoned: string[] }> {
    if (!this.courier || !session.token) return { delivered: [], abandoned: [] };
    return this.courier.settlePending(session.token);
  }

  /** Fetches every file a call produced; the refusal the user sees when one did not arrive. */
  private async deliver(token: string, offers: FileOffer[]): Promise<Result<never> | null> {
    const lost: string[] = [];
    for (const offer of offers) {
      const why = await this.receive(token, offer);
      if (why === null) continue;
      lost.push(`${offer.fileName} (${why})`);
      // The server drops its copy; if it cannot be told now, the next sign-in tells it.
      await this.courier?.settle(token, offer.id, 'abandoned').catch(() => undefined);
    }
    if (lost.length === 0) return null;
    return {
      ok: false,
      error: {
        code: 'SERVER_UNREACHABLE',
        message: `The team server wrote and recorded the file, but it did not reach this workstation: ${lost.join('; ')}. Nothing was saved under its name here; its record stays in the log. Run it again.`,
      },
    };
  }

  /** One file: fetched (again, if the connection was cut), placed and confirmed; or why not. */
  private async receive(token: string, offer: FileOffer): Promise<string | null> {
    if (!this.courier) return 'this workstation has no export folder set';
    let last = '';
    for (let attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
      try {
        await this.courier.receive(token, offer);
        // Placed: a lost confirmation is made good at the next sign-in (the file is in place).
        await this.courier.settle(token, offer.id, 'delivered').catch(() => undefined);
        return null;
      } catch (err) {
        if (err instanceof DeliveryRefused) return err.message;
        // The export folder itself refused (permissions, a full disk): trying again will not help.
        const local = err as { path?: string; code?: string };
        if (local.path && local.code) {
          return `this workstation could not write in its export folder ${this.courier.exportDir} (${local.code})`;
        }
        last = describe(err);
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    return `the connection failed: ${last}`;
  }

  private async pickAndUpload(session: RemoteSession, input: unknown): Promise<Result<unknown>> {
    const wire = {
      base: this.url,
      agent: () => this.pinnedAgent(),
      headers: (t: string | null) => this.headers(t),
    };
    try {
      // A role that may not import is refused before the picker opens, as in embedded mode.
      const refusal = await mayUpload(wire, session.token!);
      if (refusal) return refusal;
    } catch (err) {
      return this.failure(err);
    }
    const picked = await this.options.chooseImportFile!();
    if (picked === null) return { ok: true, value: null };
    try {
      const refused = await uploadImportFile(
        wire,
        session.token!,
        picked,
        this.options.onUploadProgress,
      );
      if (refused) return refused;
    } catch (err) {
      return this.failure(err);
    }
    return this.invokeAsIs(session, 'import.chooseFile', input);
  }

  private async invokeAsIs(session: RemoteSession, channel: string, input: unknown) {
    try {
      const answer = await this.post(session, channel, input);
      if (answer.token !== undefined) session.token = answer.token;
      return answer.result as Result<unknown>;
    } catch (err) {
      return this.failure(err);
    }
  }

  /**
   * Enrols this workstation with a one-time code: makes a key pair here, sends only the
   * certificate request, and answers the client certificate with the key (for the caller to seal
   * and to pass as `clientAuth` from then on), or the server's refusal.
   */
  async enrol(
    code: string,
    label: string,
    modulusLength?: number,
  ): Promise<Result<{ certPem: string; keyPem: string }>> {
    const key = makeWorkstationKey(label, modulusLength);
    let answer: InvokeResponse;
    try {
      answer = await this.postJson(ENROL_PATH, { code, csrPem: key.csrPem }, null);
    } catch (err) {
      return this.failure(err);
    }
    if (!answer.result.ok) return answer.result;
    const certPem = (answer.result.value as { certPem?: unknown }).certPem;
    if (typeof certPem !== 'string') return this.failure(new Error('no certificate in the answer'));
    return { ok: true, value: { certPem, keyPem: key.keyPem } };
  }

  private post(
    session: RemoteSession,
    channel: string,
    input: unknown,
    taken: string[] = [],
    sent: { madeOfflineAt?: string } = {},
  ) {
    const body: InvokeRequest = { input: input ?? {}, client: this.options.client };
    if (taken.length) body.taken = taken;
    if (sent.madeOfflineAt !== undefined) body.madeOfflineAt = sent.madeOfflineAt;
    return this.postJson(INVOKE_PATH + encodeURIComponent(channel), body, session.token);
  }

  /**
   * The names a file of this call would take (plain, or sealed as .gpg) that this workstation's
   * export folder already holds: the server's writer refuses them where the embedded writer
   * refuses an existing file, after the role and input checks and before any record.
   */
  private takenNames(input: unknown): string[] {
    const fileName = (input as { fileName?: unknown } | null)?.fileName;
    if (!this.courier || typeof fileName !== 'string' || fileName.length > 190) return [];
    return [fileName, `${fileName}.gpg`].filter((name) => this.courier!.taken(name));
  }

  private async postJson(path: string, body: unknown, token: string | null) {
    const agent = await this.pinnedAgent();
    const headers = { ...this.headers(token), 'content-type': 'application/json' };
    const res = await request(new URL(path, this.url), {
      method: 'POST',
      dispatcher: agent,
      headers,
      body: JSON.stringify(body),
    });
    const answer: unknown = await res.body.json().catch(() => null);
    const parsed = invokeResponse.safeParse(answer);
    if (!parsed.success) {
      throw new Error(`the server answered ${res.statusCode} with a body that is not an answer`);
    }
    return parsed.data as InvokeResponse;
  }

  private failure(err: unknown): Result<never> {
    const where = this.url.origin;
    if (err instanceof PinError) return unreachable(err.message);
    const code = (err as { code?: string }).code ?? '';
    const causeCode = (err as { cause?: { code?: string } }).cause?.code ?? '';
    const kind = code || causeCode || (err as Error).message;
    if (
      kind === 'ECONNREFUSED' ||
      kind === 'ENOTFOUND' ||
      kind === 'ETIMEDOUT' ||
      kind === 'EHOSTUNREACH'
    ) {
      return unreachable(
        `The team server at ${where} cannot be reached (${kind}). Check the address in Settings → Team server, your network, and that the server is running.`,
      );
    }
    if (kind === 'CERT_HAS_EXPIRED') {
      return unreachable(
        `The team server at ${where} presented an expired certificate. Ask your administrator to renew it and read out the new fingerprint.`,
      );
    }
    if (/^(ERR_SSL|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(kind)) {
      return unreachable(
        `The secure connection to the team server at ${where} failed (${kind}). Check the server address and fingerprint in Settings → Team server; if this workstation was not enrolled or its enrolment was revoked, ask your administrator.`,
      );
    }
    const error: AppErrorShape = {
      code: 'SERVER_UNREACHABLE',
      message: `The connection to the team server at ${where} was lost before it answered (${kind || 'no answer'}). A change you made may or may not have been saved: look before you try again.`,
    };
    return { ok: false, error };
  }

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = null;
    if (agent) await (await agent.catch(() => null))?.close();
  }
}
