/**
 * The workstation's own channels: answered by the workstation's main process itself, never by a
 * backend or the team server, because they decide which backend there is. Before the database is
 * open (its key must be typed) or while a team workstation is not enrolled, these are the only
 * channels that answer; the backend's contract (contract.ts) takes over once the workstation is
 * ready. The renderer calls both through the one `window.custodian.invoke`.
 */
import { z } from 'zod';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from './rules';

/** The shortest passphrase that may seal a database key (scrypt makes guessing slow, not length). */
export const MIN_PASSPHRASE_LENGTH = 12;

export type WorkstationMode = 'embedded' | 'team';

/** Where the workstation stands, from start-up to ready. */
export type WorkstationState =
  /** The backend (embedded database or team server) answers the contract's channels. */
  | { kind: 'ready' }
  /** A new embedded database on a computer with no OS keychain: choose a passphrase first. */
  | { kind: 'new-key' }
  /** The embedded database's key must be typed: its passphrase, or the recovery key. */
  | { kind: 'locked'; passphrase: boolean; problem: string | null }
  /** A team workstation that cannot talk to its server until it is enrolled (again). */
  | { kind: 'team-setup'; problem: string | null }
  /** Nothing more can be done here (a damaged key file, a folder that cannot be written). */
  | { kind: 'failed'; message: string };

export interface WorkstationStatus {
  mode: WorkstationMode;
  state: WorkstationState;
  /** The embedded database file (embedded mode). */
  database: string | null;
  /** The team server this workstation is enrolled with (team mode). */
  server: { url: string; fingerprint: string; name: string } | null;
  /** Whether an OS keychain protects this workstation's keys (else a passphrase does). */
  keychain: boolean;
  /**
   * A new database's recovery key, until the person setting the workstation up has confirmed they
   * wrote it down (`workstation.recoveryKeyShown`). It is kept nowhere else in clear.
   */
  recoveryKey: string | null;
  /** A backup checked and ready to restore over the embedded database (`workstation.restore`). */
  restore: RestoreOffer | null;
  /** Team mode, signed in: the caller's offline copy and whether the server answers. */
  offline: OfflineStatus | null;
}

/** A team workstation's link to its server, as the signed-in staff member's window shows it. */
export interface OfflineStatus {
  online: boolean;
  /** The last time the offline copy was brought up to date (this workstation's clock). */
  lastSync: string | null;
  syncing: boolean;
  /**
   * The sync under way: accounts brought into the offline copy so far, and changes the server
   * still has for it (the progress of a first fill). Null when none runs.
   */
  fill: { pulled: number; remaining: number } | null;
  /** Changes made offline, waiting to be sent. */
  outbox: number;
  /** Offline changes the server's record had moved past: the staff member chooses for each. */
  conflicts: OfflineConflict[];
  problem: string | null;
  /** Signed in on this workstation while the server could not be reached (its offline wrap). */
  signedInOffline: boolean;
  /**
   * Signed in offline and the server answers again: the password is needed for a server session
   * before the changes waiting (`outbox`) can be sent.
   */
  reconnect: boolean;
}

/** An offline change that met a newer record at the server, field by field. */
export interface OfflineConflict {
  id: string;
  accountId: string;
  madeAt: string;
  channel: string;
  /** Each field the offline change set: the value typed offline, and the server's now. */
  fields: { field: string; mine: unknown; theirs: unknown }[];
  message: string;
}

/** What a checked backup holds, for the administrator to confirm before it replaces the database. */
export interface RestoreOffer {
  file: string;
  createdAt: string;
  appVersion: string;
  /** Rows per table in the backup. */
  rowCounts: Record<string, number>;
  /** The disclosure log's last record in the backup (0: none). */
  disclosures: number;
}

const noCardNumber = (v: string) => !containsCardNumber(v);

const passphrase = z
  .string()
  .min(MIN_PASSPHRASE_LENGTH, `At least ${MIN_PASSPHRASE_LENGTH} characters.`)
  .max(1024, 'At most 1,024 characters.');

export const unlockInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('passphrase'),
    secret: z.string().min(1, 'Type the passphrase.').max(1024),
  }),
  z.strictObject({
    kind: z.literal('recovery'),
    secret: z.string().min(1, 'Type the recovery key.').max(200),
  }),
]);

export const createKeyInput = z
  .strictObject({ passphrase, repeat: z.string().max(1024) })
  .refine((v) => v.passphrase === v.repeat, {
    path: ['repeat'],
    message: 'The two passphrases differ.',
  });

export const joinTeamInput = z.strictObject({
  url: z
    .string()
    .trim()
    .regex(/^https:\/\/[A-Za-z0-9.\-[\]:]{1,260}\/?$/, 'The address is https://host:port.'),
  fingerprint: z
    .string()
    .trim()
    .regex(
      /^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
      'The fingerprint is 64 hexadecimal digits (colons allowed), as the server printed it.',
    ),
  code: z
    .string()
    .trim()
    .min(8, 'The enrolment code your administrator issued.')
    .max(200, 'The enrolment code your administrator issued.'),
  name: z
    .string()
    .trim()
    .min(1, 'A name for this workstation, e.g. "Front desk 2".')
    .max(80, 'At most 80 characters.')
    .refine(noCardNumber, CARD_NUMBER_MESSAGE),
});

const empty = z.strictObject({});

/** Each channel's input schema; the output is always the workstation's status. */
export const workstationChannels = {
  'workstation.status': empty,
  'workstation.unlock': unlockInput,
  'workstation.createKey': createKeyInput,
  'workstation.recoveryKeyShown': empty,
  'workstation.joinTeam': joinTeamInput,
  'workstation.useEmbedded': empty,
  'workstation.checkBackup': empty,
  'workstation.restore': z.strictObject({
    confirm: z.literal(true, 'Confirm that the backup replaces everything in the database.'),
  }),
  'workstation.cancelRestore': empty,
  'workstation.resolveConflict': z.strictObject({
    id: z.string().uuid('An offline change\u2019s id.'),
    keep: z.enum(['mine', 'theirs'], 'Choose which version to keep.'),
  }),
} as const;

export type WorkstationChannel = keyof typeof workstationChannels;
export type WorkstationInput<C extends WorkstationChannel> = z.input<
  (typeof workstationChannels)[C]
>;

export function isWorkstationChannel(name: unknown): name is WorkstationChannel {
  return typeof name === 'string' && Object.hasOwn(workstationChannels, name);
}
