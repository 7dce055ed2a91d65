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
  type InvokeResponse,
} from '../../shared/team-wire';
import { makeWorkstationKey } from './enrol';
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
}

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

export class TeamServerClient {
  private readonly url: URL;
  private agent: Promise<Agent> | null = null;
  private readonly timeoutMs: number;

  constructor(private readonly options: RemoteOptions) {
    this.url = parseServerUrl(options.url);
    if (!isFingerprint(options.fingerprint)) {
      throw new Error(
        'The fingerprint must be the 64 hexadecimal digits of SHA-256 (colons allowed), as the server printed it.',
      );
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
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

  async invoke(session: RemoteSession, channel: string, input: unknown): Promise<Result<unknown>> {
    let answer: InvokeResponse;
    try {
      answer = await this.post(session, channel, input);
    } catch (err) {
      return this.failure(err);
    }
    if (answer.token !== undefined) session.token = answer.token;
    return answer.result as Result<unknown>;
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

  private post(session: RemoteSession, channel: string, input: unknown) {
    return this.postJson(
      INVOKE_PATH + encodeURIComponent(channel),
      { input: input ?? {}, client: this.options.client },
      session.token,
    );
  }

  private async postJson(path: string, body: unknown, token: string | null) {
    const agent = await this.pinnedAgent();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
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
