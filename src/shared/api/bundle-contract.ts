/**
 * The support-bundle part of the contract (issue 11 item 5, the GUI's "Save support bundle"):
 * `bundle.make` asks the engine — the same `supportBundle` as `trunkscope call|diagnose --bundle`
 * — for one zip of a finished call (its redacted SIP and RTP as pcap, the text ladder, the JSON
 * report, the diagnosis) or of an opened capture's calls, and returns it for the renderer to save.
 */
import { z } from 'zod';

export const BundleMakeSchema = z
  .object({
    /** A call of this engine (its handle, as in call.*), or with `capture` one of its Call-IDs. */
    callId: z.string().min(1).max(256).optional(),
    /** An opened capture (CaptureImport.captureId): all its calls, or only `callId`'s. */
    capture: z.string().min(1).max(64).optional(),
  })
  .refine((a) => a.callId !== undefined || a.capture !== undefined, { message: 'name a call (callId) or an opened capture (capture)', path: ['callId'] });
export type BundleMakeArgs = z.input<typeof BundleMakeSchema>;

/** The zip, to be saved by the renderer (a browser download; in Electron, its save dialog). */
export interface SupportBundleFile {
  /** "trunkscope-bundle-CALLID.zip" (the Call-ID made safe for a file name). */
  filename: string;
  mime: 'application/zip';
  bytes: number;
  /** Entry names, README.txt first. */
  entries: string[];
  base64: string;
}

export const bundleCommands = {
  'bundle.make': { args: BundleMakeSchema, result: {} as SupportBundleFile },
};
