/** Export the trace (or the filtered call) as text or pcap, plain or redacted for sharing. */
import { useState } from 'react';
import { useApp, useInvoke } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { downloadBase64 } from '../../lib/download.ts';

const KINDS = [
  { id: 'text', format: 'text', redact: false, label: 'Text' },
  { id: 'pcap', format: 'pcap', redact: false, label: 'pcap' },
  { id: 'text-redacted', format: 'text', redact: true, label: 'Text (redacted)' },
  { id: 'pcap-redacted', format: 'pcap', redact: true, label: 'pcap (redacted)' },
] as const;

export function ExportButtons() {
  const invoke = useInvoke();
  const callId = useApp((s) => s.traceFilter.callId.trim());
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (k: (typeof KINDS)[number]) => {
    setBusy(k.id);
    try {
      const r = await invoke('trace.export', {
        format: k.format,
        redact: k.redact,
        ...(callId ? { callId } : {}),
      });
      if (r) downloadBase64(r.filename, r.mime, r.base64);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export" role="group" aria-label="Export">
      <span className="field-label">Export {callId ? 'this call' : 'all'}</span>
      {KINDS.map((k) => (
        <button
          key={k.id}
          type="button"
          className="btn small"
          data-testid={tid.exportBtn(k.id)}
          disabled={busy !== null}
          onClick={() => void run(k)}
        >
          {busy === k.id ? '…' : k.label}
        </button>
      ))}
    </div>
  );
}
