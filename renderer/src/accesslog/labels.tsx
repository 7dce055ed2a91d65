import type { AccessLogEntry } from '../../../shared/types';
import { SEARCH_KIND_LABELS } from '../../../shared/search';
import { TwoLines } from '../ui';

export const ACTION_LABELS: Record<string, string> = {
  view_account: 'Viewed account',
  view_history: 'Viewed history',
  view_disclosures: 'Viewed disclosures',
  list: 'Listed accounts',
  search: 'Searched',
  export: 'Exported',
  view_access_log: 'Viewed access log',
  export_access_log: 'Exported access log',
};

/** The log keeps the kind as text (older entries may name a kind this version no longer has). */
const KIND_LABELS: Readonly<Record<string, string>> = SEARCH_KIND_LABELS;

export function queryKindLabel(kind: AccessLogEntry['queryKind']): string {
  return kind ? (KIND_LABELS[kind] ?? kind) : '—';
}

/** "Display Name (username)" as the log gives it, on two lines. */
export function StaffCell({ text }: { text: string }) {
  const m = /^(.*) \(([^()]+)\)$/.exec(text);
  return m ? <TwoLines main={m[1]} sub={`@${m[2]}`} /> : <TwoLines main={text} />;
}
