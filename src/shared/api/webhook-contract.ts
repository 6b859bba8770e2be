/**
 * The webhook lab's part of the contract (issue 13): argument schemas and result shapes of
 * `webhook.send` and `webhook.verify`, shared by the CLI's JSON output, the engine and the GUI.
 */
import { z } from 'zod';

export const WebhookProviderSchema = z.enum(['twilio', 'plivo', 'exotel']);
export type WebhookProvider = z.infer<typeof WebhookProviderSchema>;

const HttpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/i, 'an http:// or https:// URL');
const ParamsSchema = z.record(z.string().max(128), z.string().max(4096));

export const WebhookSendSchema = z.object({
  provider: WebhookProviderSchema,
  url: HttpUrl,
  /** Auth token (Exotel: the per-phone token). Never echoed back. */
  token: z.string().min(1, 'enter the auth token').max(512),
  kind: z.enum(['answer', 'status']).default('answer'),
  method: z.enum(['GET', 'POST']).optional(),
  /** Added to or overriding the provider's default callback parameters. */
  params: ParamsSchema.default({}),
  tamper: z.boolean().default(false),
  signUrl: HttpUrl.optional(),
  timeoutSec: z.number().positive().max(120).default(15),
});
export type WebhookSendArgs = z.input<typeof WebhookSendSchema>;

export const WebhookVerifySchema = z.object({
  provider: WebhookProviderSchema,
  /** Comma list during a rotation: old,new. */
  token: z.string().max(1024).default(''),
  url: HttpUrl,
  method: z.enum(['GET', 'POST']).default('POST'),
  /** Request headers; names are matched case-insensitively. */
  headers: z.record(z.string().max(128), z.string().max(8192)).default({}),
  /** The raw body (form-encoded or JSON). */
  body: z.string().max(1_000_000).default(''),
  source: z.string().max(64).optional(),
  allowFrom: z.string().max(4096).optional(),
});
export type WebhookVerifyArgs = z.input<typeof WebhookVerifySchema>;

export interface WebhookTried {
  url: string;
  signature: string;
  match: boolean;
  token?: number;
  variant?: string;
  stringToSign?: string;
}

export interface WebhookVerdict {
  command: 'webhook-verify';
  provider: WebhookProvider;
  valid: boolean;
  reason: string;
  tried: WebhookTried[];
  likelySigned?: string;
  bodyHashMatch?: boolean;
}

export interface WebhookDialTarget {
  uri: string;
  transport?: 'udp' | 'tcp' | 'tls';
  username?: string;
  /** Masked (`****(N chars)`) unless secrets were asked for. */
  password?: string;
  credentialsFrom?: string;
  headers: Record<string, string>;
  attributes: Record<string, string>;
}

export interface WebhookInstructions {
  provider: WebhookProvider;
  verbs: string[];
  dialAttributes: Record<string, string>;
  callerId?: string;
  timeoutS?: number;
  timeLimitS?: number;
  targets: WebhookDialTarget[];
  numbers: string[];
}

export interface WebhookSendReport {
  command: 'webhook-send';
  provider: WebhookProvider;
  kind: 'answer' | 'status';
  ok: boolean;
  reason: string;
  request: {
    method: 'GET' | 'POST';
    url: string;
    signedUrl: string | null;
    headers: Record<string, string>;
    body: string | null;
    tampered: string | null;
  };
  response: WebhookResponse | null;
  instructions: WebhookInstructions | null;
  instructionsError: { message: string; element: string | null } | null;
  /** `webhook send --follow`: the `call` arguments run (password masked). */
  follow?: string[];
}

/** What the webhook URL answered (body cut at the send's byte cap). */
export interface WebhookResponse {
  status: number;
  statusText: string;
  contentType: string;
  /** Redirect target when the status is 3xx. */
  location?: string;
  body: string;
  bytes: number;
  truncated: boolean;
  elapsedMs: number;
}
