/**
 * The capture part of the contract (issue 11 item 4): `capture.open` takes a customer's pcap or
 * pcapng as base64 — whole, or in parts when larger than one request may be — and returns every
 * call found in it with its ladder (the trace entries the live trace view shows), its RTP streams
 * and the diagnosis, exactly as for a live call.
 */
import { z } from 'zod';
import type { CallReport, Diagnosis } from '../model/report.ts';
import type { RtpStreamSummary, TraceEntry } from './contract.ts';

/** Largest capture accepted, in bytes of the file. */
export const MAX_CAPTURE_BYTES = 32 * 1024 * 1024;
/** Base64 characters per request (one request stays under the shells' 256 KiB request limit). */
export const CAPTURE_PART_CHARS = 192 * 1024;
const MAX_PARTS = Math.ceil((MAX_CAPTURE_BYTES * 4) / 3 / CAPTURE_PART_CHARS) + 1;

export const CaptureOpenSchema = z.object({
  /** The file's name, shown beside its calls. */
  name: z.string().min(1, 'name the file').max(256),
  /** The file's bytes (or this part's) as base64. */
  base64: z
    .string()
    .max(CAPTURE_PART_CHARS, `at most ${CAPTURE_PART_CHARS} base64 characters per request: send the file in parts`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 expected'),
  /** A file sent in parts: one upload id, the part's index (from 0) and the number of parts. */
  part: z
    .object({
      upload: z.string().min(1).max(64),
      index: z.number().int().min(0),
      count: z.number().int().min(1).max(MAX_PARTS, `a capture is at most ${MAX_CAPTURE_BYTES / 1024 / 1024} MiB`),
    })
    .refine((p) => p.index < p.count, { message: 'index must be below count', path: ['index'] })
    .optional(),
});
export type CaptureOpenArgs = z.input<typeof CaptureOpenSchema>;

/** An RTP stream of a capture: the ladder's band plus Wireshark's figures. */
export interface CaptureStream extends RtpStreamSummary {
  codec: string | null;
  ssrc: string;
  expected: number;
  lostPercent: number;
  jitterMaxMs: number;
  maxDeltaMs: number;
  mos: number;
}

/** One call of a capture, seen from the caller ("out" = sent by whoever sent the INVITE). */
export interface CaptureCall {
  callId: string;
  /** The ladder; ids are the capture's own (1…), not the live trace's. */
  ladder: TraceEntry[];
  /** Frame number of each ladder entry, in the same order (evidence says "frame N"). */
  frames: number[];
  streams: CaptureStream[];
  report: CallReport;
  diagnosis: Diagnosis;
}

export interface CaptureImport {
  complete: true;
  /** The engine keeps the file under this id for `bundle.make` (the most recent few only). */
  captureId?: string;
  name: string;
  format: 'pcap' | 'pcapng';
  bytes: number;
  calls: CaptureCall[];
  /** RTP streams tied to no call. */
  otherStreams: number;
  /** What was skipped or damaged (a partial result says so here). */
  warnings: string[];
}

/** A part received; the file is not complete yet. */
export interface CapturePartAck {
  complete: false;
  received: number;
  count: number;
}

export const captureCommands = {
  'capture.open': { args: CaptureOpenSchema, result: {} as CaptureImport | CapturePartAck },
};
