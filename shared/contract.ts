/**
 * The IPC contract: every channel, its input schema, its output type and who may call it.
 * main validates every input against it; the preload and the tests enumerate it. Each domain
 * declares its channels in shared/channels/; they merge here into one map.
 */
import type { z } from 'zod';
import { accountsChannels } from './channels/accounts';
import { adminChannels } from './channels/admin';
import { keysChannels } from './channels/keys';
import { collectionsChannels } from './channels/collections';
import { disclosuresChannels } from './channels/disclosures';
import { enrolmentChannels } from './channels/enrolments';
import { sessionChannels } from './channels/session';
import type { ChannelSpec } from './channels/spec';
import { staffChannels } from './channels/staff';
import { syncChannels } from './channels/sync';
import { displayName, username } from './schemas';

export type { ChannelSpec, Gate, RoleRule } from './channels/spec';

export const contract = {
  ...sessionChannels,
  ...accountsChannels,
  ...staffChannels,
  ...disclosuresChannels,
  ...collectionsChannels,
  ...adminChannels,
  ...enrolmentChannels,
  ...keysChannels,
  ...syncChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> =
  Contract[C] extends ChannelSpec<z.ZodType, infer O> ? O : never;

export { displayName, username };
