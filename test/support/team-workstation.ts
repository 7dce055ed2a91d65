/**
 * A test workstation of the team server, for the team-*.test.ts files: enrolled with a one-time
 * code (its client certificate and key), and raw requests made as it makes them, for the tests
 * that stop a delivery half-way or send what a client never would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import type { Backend } from '../../main/app/backend';
import { TeamServerClient } from '../../main/remote/client';
import type { RunningServer } from '../../main/server/serve';
import { TEST_CLIENT, testServerIdentity } from './team-server';

export type Creds = { certPem: string; keyPem: string };

/** Enrols a workstation as an administrator would: its certificate and key. */
export async function enrolWorkstation(
  backend: Backend,
  server: { url: string; fingerprint: string },
  label: string,
): Promise<Creds> {
  const { code } = await backend.services.enrolments.issue(label, null);
  const stranger = new TeamServerClient({
    url: server.url,
    fingerprint: server.fingerprint,
    client: TEST_CLIENT,
  });
  const enrolled = await stranger.enrol(code, label, 2048);
  await stranger.close();
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  return enrolled.value;
}

/** Every file under a folder, at any depth. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** One HTTPS request as the enrolled workstation, its answer's status and bytes. */
export async function rawRequest(
  server: RunningServer,
  creds: Creds,
  p: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; bytes: Buffer }> {
  const agent = new Agent({
    connect: {
      ca: testServerIdentity().certPem,
      cert: creds.certPem,
      key: creds.keyPem,
      checkServerIdentity: () => undefined,
    },
  });
  try {
    const res = await request(new URL(p, server.url), {
      method: init.method ?? 'POST',
      dispatcher: agent,
      headers: { 'x-custodian-host': TEST_CLIENT.hostname, ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    return { status: res.statusCode, bytes: Buffer.from(await res.body.arrayBuffer()) };
  } finally {
    await agent.close();
  }
}
