/**
 * The workstation: what Electron's main process (and the end-to-end harness) talks to. It decides
 * which backend answers the contract, the embedded database on this computer or the team server,
 * and walks the way there at start: the database key typed where no keychain opens it, a
 * passphrase chosen for a new database, a team workstation enrolled. Its own channels
 * (shared/workstation.ts) answer at every step; the contract's channels only once it is ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type AppErrorShape, type Result } from '../../shared/errors';
import type { ClientReport } from '../../shared/team-wire';
import {
  isWorkstationChannel,
  workstationChannels,
  type WorkstationChannel,
  type WorkstationState,
  type WorkstationStatus,
} from '../../shared/workstation';
import { openBackend, type Backend, type BackendOptions } from '../app/backend';
import { keyProblemMessage, type DatabaseKey } from '../app/database-key';
import type { Keychain, Unlock } from '../keys/data-key';
import type { Logger } from '../log';
import { defaultExportDir } from '../paths';
import type { ImportFilePicker } from '../services/import-desk';
import type { Session } from '../services/session';
import { ChoiceFile, EMBEDDED, type Choice } from './choice-file';
import { createEmbeddedKey, startEmbedded, unlockEmbedded } from './embedded';
import { fieldErrorsOf } from '../ipc/dispatch';
import { Callers, type CallerId } from './callers';
import { RestoreDesk, type BackupPicker } from './restore-desk';
import { ALREADY_OPEN, notReady, notReadyMessage, refusal, startFailure } from './messages';
import { replicaDirIn } from './offline';
import { KeychainError, NO_KEYCHAIN, enrol, enrolledClient } from './enrolment';
import { TeamWorkstation } from './team';

export type { CallerId };

export interface WorkstationOptions {
  /** The user-data folder: the workstation's choice lives here. */
  userData: string;
  /** The embedded database file. */
  databaseFile: string;
  /** Set when the database file was named explicitly (CUSTODIAN_DB): the team choice is ignored. */
  embeddedOnly?: boolean;
  /** The OS keychain, or null where there is none (Linux basic_text). */
  keychain: Keychain | null;
  /** What this workstation reports about itself to a team server. */
  client: ClientReport;
  logger: Logger;
  chooseImportFile?: ImportFilePicker;
  /** The rest of the embedded backend's options (export folder, witnesses, backups, a clock). */
  embedded?: Omit<BackendOptions, 'database' | 'logger' | 'chooseImportFile'>;
  /** Asks for a backup file to restore (Electron's open dialog; a fixture in tests). */
  chooseBackupFile?: BackupPicker;
  /** RSA modulus of the workstation's enrolment key (tests use a smaller one for speed). */
  enrolmentModulus?: number;
}

type Active =
  | { kind: 'none' }
  | { kind: 'embedded'; backend: Backend; callers: Callers<Session> }
  | { kind: 'team'; team: TeamWorkstation };

export class Workstation {
  private choice: Choice = EMBEDDED;
  private state: WorkstationState = { kind: 'failed', message: 'Not started.' };
  private active: Active = { kind: 'none' };
  private recoveryKey: string | null = null;
  /** The open embedded database's data key (a backup is checked and restored with it). */
  private key: Buffer | null = null;
  private readonly restores: RestoreDesk;
  /** State changes run one at a time, whichever window asks. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly choices: ChoiceFile;

  private constructor(private readonly options: WorkstationOptions) {
    this.choices = new ChoiceFile(options.userData);
    this.restores = new RestoreDesk(options.databaseFile, options.chooseBackupFile);
  }

  /** Reads the workstation's choice and goes as far towards ready as it can without a person. */
  static async start(options: WorkstationOptions): Promise<Workstation> {
    const workstation = new Workstation(options);
    await workstation.serial(() => workstation.open());
    return workstation;
  }

  /** The embedded backend while it is open (the end-to-end harness seeds through its services). */
  get embeddedBackend(): Backend | null {
    return this.active.kind === 'embedded' ? this.active.backend : null;
  }

  get ready(): boolean {
    return this.state.kind === 'ready';
  }

  async status(caller?: CallerId): Promise<WorkstationStatus> {
    const active = this.active;
    const offline =
      caller !== undefined && active.kind === 'team'
        ? await active.team.offlineStatus(caller)
        : null;
    const server = this.choice.mode === 'team' ? this.choice.server : null;
    return {
      mode: this.choice.mode,
      state: this.state,
      database: this.choice.mode === 'embedded' ? this.options.databaseFile : null,
      server: server
        ? { url: server.url, fingerprint: server.fingerprint, name: server.name }
        : null,
      keychain: this.options.keychain !== null,
      recoveryKey: this.recoveryKey,
      restore: this.restores.offer(),
      offline,
    };
  }

  /** One call from one caller (a window): a workstation channel, or the contract's via the backend. */
  async invoke(caller: CallerId, channel: unknown, input: unknown): Promise<Result<unknown>> {
    if (isWorkstationChannel(channel)) return this.own(caller, channel, input);
    const active = this.active;
    if (active.kind === 'embedded') {
      return active.backend.invoke(active.callers.sessionOf(caller), channel, input);
    }
    if (active.kind === 'team') return active.team.invoke(caller, String(channel), input);
    return notReady(notReadyMessage(this.state));
  }

  /** Forgets a caller (its window closed): its sign-in state goes with it. */
  forget(caller: CallerId): void {
    const active = this.active;
    if (active.kind === 'embedded') {
      const session = active.callers.take(caller);
      if (session) active.backend.closeSession(session);
    } else if (active.kind === 'team') active.team.forget(caller);
  }

  close(): Promise<void> {
    return this.serial(() => this.deactivate());
  }

  // --- The workstation's own channels --------------------------------------------------------

  private async own(
    caller: CallerId,
    channel: WorkstationChannel,
    input: unknown,
  ): Promise<Result<WorkstationStatus>> {
    const parsed = workstationChannels[channel].safeParse(input ?? {});
    if (!parsed.success) {
      const error: AppErrorShape = {
        code: 'VALIDATION',
        message: 'Some values are not valid.',
        fieldErrors: fieldErrorsOf(parsed.error),
      };
      return { ok: false, error };
    }
    const data = parsed.data as Record<string, string>;
    try {
      switch (channel) {
        case 'workstation.status':
          break;
        case 'workstation.recoveryKeyShown':
          this.recoveryKey = null;
          break;
        case 'workstation.unlock':
          await this.serial(() =>
            this.unlock({ kind: data.kind as 'passphrase' | 'recovery', text: data.secret! }),
          );
          break;
        case 'workstation.createKey':
          await this.serial(() => this.createKey(data.passphrase!));
          break;
        case 'workstation.joinTeam': {
          const refused = await this.mayChangeChoice(caller);
          if (refused) return refused;
          const joined = await this.serial(() => this.joinTeam(data as never));
          if (!joined.ok) return joined;
          break;
        }
        case 'workstation.useEmbedded': {
          const refused = await this.mayChangeChoice(caller);
          if (refused) return refused;
          await this.serial(() => this.switchTo(EMBEDDED));
          break;
        }
        case 'workstation.checkBackup':
          await this.restores.choose(this.embeddedAdministrator(caller).key);
          break;
        case 'workstation.restore': {
          const admin = this.embeddedAdministrator(caller);
          await this.serial(() => this.restore(admin));
          break;
        }
        case 'workstation.cancelRestore':
          this.restores.cancel();
          break;
        case 'workstation.resolveConflict': {
          const active = this.active;
          if (active.kind !== 'team') {
            throw new AppError('NOT_FOUND', 'Only a team workstation keeps offline changes.');
          }
          await active.team.resolveConflict(caller, data.id!, data.keep as 'mine' | 'theirs');
          break;
        }
      }
    } catch (err) {
      return refusal(err);
    }
    return { ok: true, value: await this.status(caller) };
  }

  /**
   * A ready workstation's choice is changed only by a signed-in administrator (Settings); one
   * that is not ready may be set up by whoever is at it: the enrolment code is the authority,
   * and the embedded database still asks for its own key and its own staff sign-in.
   */
  private async mayChangeChoice(caller: CallerId): Promise<Result<never> | null> {
    if (this.options.embeddedOnly) {
      return notReady('This workstation was started on a named database file (CUSTODIAN_DB).');
    }
    if (!this.ready) return null;
    const active = this.active;
    let role: string | null = null;
    if (active.kind === 'embedded') {
      const session = active.callers.find(caller);
      role = session?.signedIn && !session.signedIn.locked ? session.signedIn.role : null;
    } else if (active.kind === 'team') {
      role = await active.team.roleOf(caller);
      // A server that refuses this workstation (or is gone) signs nobody in: enrol again.
      if (role === 'unreachable') return null;
    }
    if (role === 'administrator') return null;
    return {
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'Only an administrator may change which database this workstation uses.',
      },
    };
  }

  /** The embedded database's key and the caller, who must be its signed-in administrator. */
  private embeddedAdministrator(caller: CallerId): {
    key: Buffer;
    staffId: string;
    username: string;
  } {
    const active = this.active;
    if (active.kind !== 'embedded' || !this.key) {
      throw new AppError(
        'VALIDATION',
        'Only this computer\u2019s own database is restored here; a team database is restored on its server.',
      );
    }
    const signedIn = active.callers.find(caller)?.signedIn;
    if (!signedIn || signedIn.locked || signedIn.role !== 'administrator') {
      throw new AppError('FORBIDDEN', 'Only an administrator may restore a backup.');
    }
    return { key: this.key, staffId: signedIn.staffId, username: signedIn.username };
  }

  /**
   * Closes the database, swaps the checked backup in and opens it again, for every window. If the
   * swap fails the database (the old one: nothing was replaced) is opened again all the same.
   */
  private async restore(admin: { key: Buffer; staffId: string; username: string }): Promise<void> {
    const { key } = admin;
    await this.deactivate();
    try {
      await this.restores.restore(key, admin.staffId, new Date());
    } finally {
      await this.activateEmbedded({ key, recoveryKey: null });
    }
    // The witnesses saw records the restored log may not hold: say so, signed, by whom.
    await this.embeddedBackend?.services.witnesses.acknowledgeRestore(`@${admin.username}`);
  }

  // --- Getting to ready --------------------------------------------------------------------------

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open(): Promise<void> {
    try {
      if (this.options.embeddedOnly) this.choice = EMBEDDED;
      else {
        const read = this.choices.read();
        this.choice = read.choice;
        if (read.notice) {
          this.state = { kind: 'team-setup', problem: read.notice };
          return;
        }
      }
      if (this.choice.mode === 'team') this.openTeam();
      else await this.openEmbedded();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const message = startFailure(err, this.options.databaseFile);
    this.options.logger.error('workstation could not open', {
      kind: err instanceof Error ? err.name : 'unknown',
    });
    this.state = { kind: 'failed', message };
  }

  private openTeam(): void {
    const server = this.choice.mode === 'team' ? this.choice.server : null;
    if (!server) {
      this.state = { kind: 'team-setup', problem: null };
      return;
    }
    try {
      const client = enrolledClient(server, this.options.keychain, this.options.client, {
        // The same folder the embedded mode writes to: files land on this workstation either way.
        exportDir: this.options.embedded?.exportDir ?? defaultExportDir(),
        ...(this.options.chooseImportFile
          ? { chooseImportFile: this.options.chooseImportFile }
          : {}),
      });
      this.active = {
        kind: 'team',
        team: new TeamWorkstation(client, {
          dir: replicaDirIn(this.options.userData),
          keychain: this.options.keychain,
          log: this.options.logger,
        }),
      };
      this.state = { kind: 'ready' };
    } catch (err) {
      if (!(err instanceof KeychainError)) throw err;
      this.state = { kind: 'team-setup', problem: err.message };
    }
  }

  private async openEmbedded(): Promise<void> {
    fs.mkdirSync(path.dirname(this.options.databaseFile), { recursive: true, mode: 0o700 });
    const started = await startEmbedded(this.options.databaseFile, this.options.keychain);
    if (started.kind === 'open') await this.activateEmbedded(started.opened);
    else if (started.kind === 'new-key') this.state = { kind: 'new-key' };
    else this.state = started;
  }

  private async activateEmbedded(opened: DatabaseKey): Promise<void> {
    const backend = await openBackend({
      ...this.options.embedded,
      database: { client: 'sqlite', filename: this.options.databaseFile, key: opened.key },
      logger: this.options.logger,
      ...(this.options.chooseImportFile ? { chooseImportFile: this.options.chooseImportFile } : {}),
    });
    this.key = opened.key;
    this.active = {
      kind: 'embedded',
      backend,
      // Each window's session reports this workstation as the access log records it.
      callers: new Callers(() => backend.openSession(this.options.client)),
    };
    if (opened.recoveryKey) this.recoveryKey = opened.recoveryKey;
    this.state = { kind: 'ready' };
  }

  private async unlock(unlock: Unlock): Promise<void> {
    if (this.state.kind !== 'locked') throw new AppError('CONFLICT', ALREADY_OPEN);
    let opened: DatabaseKey;
    try {
      opened = await unlockEmbedded(this.options.databaseFile, unlock, this.options.keychain);
    } catch (err) {
      // The same screen asks again, saying what was wrong with the key typed.
      const message = keyProblemMessage(err);
      if (message === null) throw err;
      throw new AppError('VALIDATION', message, { fieldErrors: { secret: message } });
    }
    await this.activateEmbedded(opened);
  }

  private async createKey(passphrase: string): Promise<void> {
    if (this.state.kind !== 'new-key') throw new AppError('CONFLICT', ALREADY_OPEN);
    await this.activateEmbedded(await createEmbeddedKey(this.options.databaseFile, passphrase));
  }

  private async joinTeam(request: {
    url: string;
    fingerprint: string;
    code: string;
    name: string;
  }): Promise<Result<null>> {
    const keychain = this.options.keychain;
    if (!keychain) return { ok: false, error: { code: 'VALIDATION', message: NO_KEYCHAIN } };
    const enrolled = await enrol(
      request,
      keychain,
      this.options.client,
      this.options.enrolmentModulus,
    );
    if (!enrolled.ok) return enrolled;
    await this.switchTo({
      format: 'custodian-workstation/1',
      mode: 'team',
      server: enrolled.value,
    });
    return { ok: true, value: null };
  }

  /** Saves the new choice first, so that a crash after it starts the workstation the new way. */
  private async switchTo(choice: Choice): Promise<void> {
    this.choices.write(choice);
    await this.deactivate();
    this.choice = choice;
    this.recoveryKey = null;
    await this.open();
  }

  private async deactivate(): Promise<void> {
    const active = this.active;
    this.active = { kind: 'none' };
    this.key = null;
    this.state = { kind: 'failed', message: 'Closed.' };
    if (active.kind === 'embedded') await active.backend.close();
    else if (active.kind === 'team') await active.team.close();
  }
}
