/**
 * The workstation's choice, kept outside any database because it says which one to use: its own
 * embedded database, or a team server with this workstation's enrolment (the client certificate,
 * and its private key sealed by the OS keychain). A JSON file in the user-data folder, readable
 * by the OS user only, replaced atomically. It never holds a database credential: a workstation
 * of an earlier release that kept the team's PostgreSQL password here has that file removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fsyncPath, writeFileSynced } from '../fsync';

export const CHOICE_FILE = 'workstation.json';
/** An earlier release's file: the team's PostgreSQL address and its password, sealed. */
export const LEGACY_CONNECTION_FILE = 'connection.json';

const enrolment = z.strictObject({
  url: z.string().min(1).max(300),
  fingerprint: z.string().min(1).max(200),
  name: z.string().min(1).max(80),
  certPem: z.string().min(1).max(20_000),
  /** The workstation's private key, sealed by the OS keychain. */
  sealedKey: z.string().min(1).max(40_000),
});
export type Enrolment = z.infer<typeof enrolment>;

const choiceSchema = z.discriminatedUnion('mode', [
  z.strictObject({ format: z.literal('custodian-workstation/1'), mode: z.literal('embedded') }),
  z.strictObject({
    format: z.literal('custodian-workstation/1'),
    mode: z.literal('team'),
    /** Null: team mode chosen but not (or no longer) enrolled. */
    server: enrolment.nullable(),
  }),
]);
export type Choice = z.infer<typeof choiceSchema>;

export const EMBEDDED: Choice = { format: 'custodian-workstation/1', mode: 'embedded' };

export class ChoiceFileError extends Error {
  override name = 'ChoiceFileError';
}

/** What was found at start: the choice, and a notice when an earlier release's file was retired. */
export interface ReadChoice {
  choice: Choice;
  notice: string | null;
}

export const LEGACY_NOTICE =
  'This workstation used to connect to the team database directly, which workstations no longer do: the saved database password has been removed from this computer. Ask your administrator for the team server address, its fingerprint and an enrolment code.';

export class ChoiceFile {
  private readonly file: string;
  private readonly legacy: string;

  constructor(userData: string) {
    this.file = path.join(userData, CHOICE_FILE);
    this.legacy = path.join(userData, LEGACY_CONNECTION_FILE);
  }

  read(): ReadChoice {
    const legacyMode = this.retireLegacy();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (legacyMode === 'pg') {
        const choice: Choice = { format: 'custodian-workstation/1', mode: 'team', server: null };
        this.write(choice);
        return { choice, notice: LEGACY_NOTICE };
      }
      return { choice: EMBEDDED, notice: null };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ChoiceFileError(this.damaged('it is not valid JSON'));
    }
    const parsed = choiceSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ChoiceFileError(
        this.damaged(`${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`),
      );
    }
    return { choice: parsed.data, notice: null };
  }

  write(choice: Choice): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSynced(temp, `${JSON.stringify(choiceSchema.parse(choice), null, 2)}\n`);
    fs.renameSync(temp, this.file);
    fsyncPath(dir);
  }

  private damaged(what: string): string {
    return `The workstation settings file ${this.file} is damaged (${what}). Remove it to start with this computer's own database, or set up the team server again.`;
  }

  /**
   * An earlier release's connection file is removed on sight: it may hold the team database's
   * password, which no workstation keeps any more. Answers the mode it named.
   */
  private retireLegacy(): 'pg' | 'sqlite' | null {
    let mode: 'pg' | 'sqlite';
    try {
      const old = JSON.parse(fs.readFileSync(this.legacy, 'utf8')) as { mode?: unknown };
      mode = old.mode === 'pg' ? 'pg' : 'sqlite';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      mode = 'sqlite'; // unreadable: it names nothing usable, and is removed all the same
    }
    fs.rmSync(this.legacy, { force: true });
    return mode;
  }
}
