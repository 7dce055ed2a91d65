import { useEffect, useState } from 'react';
import type { AccountDetail } from '../../../shared/types';
import type { AccountsRequest } from '../navigation';
import { AccountDetailView } from './AccountDetailView';
import { AccountForm } from './AccountForm';
import { AccountsList } from './AccountsList';

type View =
  | { kind: 'list' }
  | { kind: 'detail'; id: string; initial?: AccountDetail }
  | { kind: 'edit'; detail: AccountDetail }
  | { kind: 'create' };

/**
 * The accounts section: the list stays mounted (hidden) while an account is open, so going back
 * keeps the search, the sort and the scroll position.
 */
export function AccountsScreen({
  generation = 0,
  request,
}: {
  generation?: number;
  /** A view asked for from elsewhere; `n` grows with each request, so the same one can repeat. */
  request?: { n: number; to: AccountsRequest } | undefined;
}) {
  const [view, setView] = useState<View>({ kind: 'list' });
  /** The last account saved here, patched into the list without reloading it. */
  const [saved, setSaved] = useState<AccountDetail | null>(null);
  const [listGeneration, setListGeneration] = useState(0);

  // Accounts added elsewhere (an import): back to the list, read again from the start. A form
  // being filled in stays open, so that nothing typed is lost.
  useEffect(() => {
    if (generation > 0) setView((v) => (v.kind === 'detail' ? { kind: 'list' } : v));
  }, [generation]);

  // A form being filled in is never thrown away by a request from elsewhere.
  useEffect(() => {
    if (!request) return;
    const { to } = request;
    setView((v) => {
      if (v.kind === 'edit' || v.kind === 'create') return v;
      if (to.kind === 'open') return { kind: 'detail', id: to.id };
      return to.kind === 'create' ? { kind: 'create' } : { kind: 'list' };
    });
  }, [request]);

  // Back from an account, the keyboard's place is the row that was opened.
  const lastOpened = view.kind === 'detail' ? view.id : null;
  const [returnTo, setReturnTo] = useState<string | null>(null);
  if (lastOpened && lastOpened !== returnTo) setReturnTo(lastOpened);
  useEffect(() => {
    if (view.kind !== 'list' || !returnTo) return;
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(returnTo)}"]`)?.focus(),
    );
  }, [view.kind, returnTo]);

  return (
    <>
      <div className={view.kind === 'list' ? 'section-fill' : 'section-fill parked'}>
        <AccountsList
          onOpen={(id) => setView({ kind: 'detail', id })}
          onCreate={() => setView({ kind: 'create' })}
          saved={saved}
          generation={listGeneration + generation}
        />
      </div>
      {view.kind === 'detail' && (
        <AccountDetailView
          id={view.id}
          initial={view.initial}
          onBack={() => setView({ kind: 'list' })}
          onEdit={(detail) => setView({ kind: 'edit', detail })}
          onChanged={setSaved}
        />
      )}
      {view.kind === 'edit' && (
        <AccountForm
          mode="edit"
          detail={view.detail}
          onCancel={() => setView({ kind: 'detail', id: view.detail.id })}
          onSaved={(detail) => {
            setSaved(detail);
            setView({ kind: 'detail', id: detail.id, initial: detail });
          }}
        />
      )}
      {view.kind === 'create' && (
        <AccountForm
          mode="create"
          onCancel={() => setView({ kind: 'list' })}
          onSaved={(detail) => {
            setListGeneration((n) => n + 1);
            setView({ kind: 'detail', id: detail.id, initial: detail });
          }}
        />
      )}
    </>
  );
}
