/**
 * Which reads a write makes stale, declared once per write channel. After a write succeeds,
 * useAction invalidates these, so every open screen that shows them reads them again.
 */
import type { Channel } from '../../../shared/contract';

// The accounts list is not listed for an account's create or update, nor for an import: it may
// hold many pages, so the accounts screen patches the saved row in place and reads the first
// page again after a create or an import (AccountsList, navigation.showAccounts), rather than
// asking for every page again.
export const INVALIDATES: Partial<Record<Channel, readonly Channel[]>> = {
  'accounts.create': ['dashboard.summary'],
  'accounts.update': ['accounts.get', 'accounts.history', 'accounts.recent'],
  'staff.create': ['staff.list', 'staff.grants'],
  'enrolments.issue': ['enrolments.list'],
  'enrolments.revoke': ['enrolments.list'],
  'staff.update': ['staff.list', 'staff.grants'],
  'staff.resetPassword': ['staff.list'],
  'staff.decideGrant': ['staff.grants', 'staff.list'],
  'visibility.update': ['visibility.matrix', 'visibility.changes', 'accounts.fieldAccess'],
  'recipients.create': ['recipients.list'],
  'recipients.update': ['recipients.list'],
  'disclosures.request': ['disclosures.inbox', 'disclosures.log', 'disclosures.accounting'],
  'disclosures.decide': ['disclosures.inbox'],
  'disclosures.execute': ['disclosures.inbox', 'disclosures.log', 'disclosures.accounting'],
  'disclosures.accountingReport': ['disclosures.log', 'disclosures.accounting'],
  'disclosures.accountingPdf': ['disclosures.log', 'disclosures.accounting'],
  'disclosures.checkpoint': ['disclosures.verify'],
  'exports.accounts': ['disclosures.log', 'disclosures.accounting'],
  'accessLog.export': ['disclosures.log'],
  'accessLog.prune': ['accessLog.list'],
  'standing.transition': [
    'standing.timeline',
    'accounts.list',
    'accounts.get',
    'dashboard.summary',
  ],
  'standing.bulkMark': ['standing.timeline', 'accounts.list', 'accounts.get', 'dashboard.summary'],
  'holds.set': ['holds.list', 'accounts.get', 'dashboard.summary'],
  'holds.clear': ['holds.list', 'accounts.get', 'dashboard.summary'],
  'batches.send': ['batches.list', 'dashboard.summary', 'disclosures.log', 'accounts.list'],
  'batches.summaryPdf': ['disclosures.log'],
  'batches.recall': ['batches.list', 'dashboard.summary', 'accounts.list'],
  'import.run': ['dashboard.summary', 'import.problems'],
  'settings.update': ['settings.get'],
};
