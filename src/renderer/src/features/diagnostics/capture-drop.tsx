/** A drop zone for capture files (drag a .pcap/.pcapng from the file manager onto it). */
import { useState, type DragEvent, type ReactNode } from 'react';

export function CaptureDrop({ onFile, children, testId, className = '' }: { onFile: (f: File) => void; children: ReactNode; testId?: string; className?: string }) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return (
    <div
      className={`capture-drop${over ? ' over' : ''} ${className}`}
      data-testid={testId}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const f = e.dataTransfer?.files?.[0];
        if (!f) return;
        e.preventDefault();
        onFile(f);
      }}
    >
      {children}
      {over && <div className="drop-hint">Drop the capture to open it</div>}
    </div>
  );
}
