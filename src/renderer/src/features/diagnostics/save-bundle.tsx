/**
 * "Save support bundle" (issue 11 item 5): asks the engine for the zip (`bundle.make`, the same
 * builder and redaction as `trunkscope call|diagnose --bundle`) and saves it as a download — in
 * the browser a download, in Electron the same anchor download, which opens its save dialog.
 * An error (the call has not ended, the capture is no longer kept) goes to the error list.
 */
import { useState } from 'react';
import type { BundleMakeArgs } from '../../../../shared/api/bundle-contract.ts';
import { useInvoke } from '../../app/context.ts';
import { downloadBase64 } from '../../lib/download.ts';

export function SaveBundleButton({ args, testId, label = 'Save support bundle', disabled = false }: { args: BundleMakeArgs; testId: string; label?: string; disabled?: boolean }) {
  const invoke = useInvoke();
  const [busy, setBusy] = useState(false);
  const save = async (): Promise<void> => {
    setBusy(true);
    try {
      const r = await invoke('bundle.make', args);
      if (r) downloadBase64(r.filename, r.mime, r.base64);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn small"
      data-testid={testId}
      disabled={disabled || busy}
      title="One zip for the support team: the redacted pcap, the text ladder, the JSON report and the diagnosis"
      onClick={() => void save()}
    >
      {busy ? 'Saving…' : label}
    </button>
  );
}
