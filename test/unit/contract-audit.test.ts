import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import type { ChannelSpec } from '../../shared/channels/spec';

/**
 * Policy P3: a call that returns customer data leaves an access-log entry. The contract declares
 * the entry beside the input (dispatch writes it); a channel that reads customer data without
 * one must be listed here with the reason its read is already on record.
 */
const RECORDED_ELSEWHERE: Record<string, string> = {
  'accounts.create': 'a write: the account history and provenance record it',
  'accounts.update': 'a write: the account history records who changed which field',
  'holds.set': 'a write: the hold record names who set it',
  'holds.clear': 'a write: the hold record names who cleared it',
  'standing.timeline': 'part of the detail screen, whose accounts.get entry names the account',
  'holds.list': 'part of the detail screen, whose accounts.get entry names the account',
  'import.check':
    'its preview shows rows of the picked file, not accounts: there is no record to name; an import that goes ahead is recorded with the file and each account it made',
};

const specs = Object.entries(contract) as [string, ChannelSpec][];

describe('the access-log entries the contract declares', () => {
  it.each(specs.filter(([, spec]) => spec.readsCustomerData))(
    '%s declares its entry or says why it needs none',
    (name, spec) => {
      expect(Boolean(spec.audit) !== Boolean(RECORDED_ELSEWHERE[name])).toBe(true);
    },
  );

  it('lists no channel as recorded elsewhere that does not read customer data', () => {
    for (const name of Object.keys(RECORDED_ELSEWHERE)) {
      expect(specs.find(([n]) => n === name)?.[1].readsCustomerData).toBe(true);
    }
  });

  it('names each entry by a screen and an action', () => {
    const audited = specs.filter(([, spec]) => spec.audit);
    expect(audited.map(([name]) => name).sort()).toEqual([
      'accessLog.list',
      'accounts.get',
      'accounts.history',
      'accounts.list',
      'accounts.recent',
      'batches.preview',
      'disclosures.accounting',
      'sync.pull',
    ]);
    for (const [, spec] of audited) expect(spec.audit!.screen).toMatch(/^[a-zA-Z.]+$/);
  });
});
