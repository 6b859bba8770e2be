/** Follow a cause's evidence to its message: the trace view on that call, the message selected. */
import { useCallback } from 'react';
import { useAppStore } from '../../app/context.ts';
import { evidenceEntry, type DiagRow } from './diagnostic-rows.ts';

export function useEvidence(): (row: DiagRow, ref: string) => void {
  const store = useAppStore();
  return useCallback(
    (row, ref) => {
      const s = store.getState();
      const id = evidenceEntry(row, ref, s.trace);
      if (id === null) s.pushError(`${ref}: that message is not in the trace (the live trace keeps the newest messages only)`);
      s.openInTrace(row.source, row.sipCallId, id);
    },
    [store],
  );
}
