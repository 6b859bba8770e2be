/**
 * Open a capture file from the picker or a drop: read it, send it to `capture.open` in parts of
 * at most CAPTURE_PART_CHARS base64 characters, keep the result in the store. Too large a file is
 * refused before reading; the engine's error (not a pcap…) goes to the status line and the errors.
 */
import { useCallback, useState } from 'react';
import { CAPTURE_PART_CHARS, MAX_CAPTURE_BYTES, type CaptureImport } from '../../../../shared/api/capture-contract.ts';
import { useAppStore, useInvoke } from '../../app/context.ts';
import { bytesToBase64 } from '../../lib/download.ts';

export interface OpenState {
  busy: boolean;
  status: string;
}

/** Bytes per part: a multiple of 3, so each part is whole base64 without padding in the middle. */
const PART_BYTES = Math.floor((CAPTURE_PART_CHARS * 3) / 4 / 3) * 3;

export function useOpenCapture(): [OpenState, (file: File) => Promise<{ id: string; imp: CaptureImport } | null>] {
  const invoke = useInvoke();
  const store = useAppStore();
  const [state, setState] = useState<OpenState>({ busy: false, status: '' });
  const open = useCallback(
    async (file: File) => {
      if (file.size > MAX_CAPTURE_BYTES) {
        const msg = `${file.name}: ${(file.size / 1024 / 1024).toFixed(1)} MiB is over the ${MAX_CAPTURE_BYTES / 1024 / 1024} MiB limit; cut it with editcap or tshark -Y sip first`;
        setState({ busy: false, status: msg });
        store.getState().pushError(msg, 'capture.open');
        return null;
      }
      setState({ busy: true, status: `opening ${file.name}…` });
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const count = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
        const upload = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        for (let index = 0; index < count; index++) {
          const base64 = bytesToBase64(bytes.subarray(index * PART_BYTES, (index + 1) * PART_BYTES));
          const r = await invoke('capture.open', { name: file.name, base64, ...(count > 1 ? { part: { upload, index, count } } : {}) });
          if (!r) {
            setState({ busy: false, status: `${file.name}: could not be opened (see the error above)` });
            return null;
          }
          if (r.complete) {
            const id = store.getState().addCapture(r);
            const skipped = r.warnings.length ? `; ${r.warnings.length} warning(s)` : '';
            setState({ busy: false, status: `opened ${r.name}: ${r.calls.length} call(s)${skipped}` });
            return { id, imp: r };
          }
          setState({ busy: true, status: `opening ${file.name}… ${Math.round((100 * r.received) / r.count)} %` });
        }
        setState({ busy: false, status: `${file.name}: the engine did not finish the upload` });
        return null;
      } catch (e) {
        const msg = `${file.name}: ${e instanceof Error ? e.message : String(e)}`;
        setState({ busy: false, status: msg });
        store.getState().pushError(msg, 'capture.open');
        return null;
      }
    },
    [invoke, store],
  );
  return [state, open];
}
