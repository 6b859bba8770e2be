/** Provider webhook signing and validation (Twilio, Plivo, Exotel) and call-instruction parsing. */
export * from './types.ts';
export {
  signTwilio,
  twilioStringToSign,
  validateTwilio,
  TWILIO_SIGNATURE_HEADER,
  type TwilioValidateInput,
} from './twilio-signature.ts';
export {
  signPlivoV3,
  signPlivoV2,
  signPlivoLegacy,
  plivoStringToSign,
  validatePlivo,
  PLIVO_NONCE_HEADER,
  PLIVO_SIGNATURE_HEADER,
  type PlivoValidateInput,
} from './plivo-signature.ts';
export {
  validateExotel,
  parseAllowList,
  normaliseIp,
  exotelTokenOf,
  AllowListError,
  type ExotelValidateInput,
} from './exotel-auth.ts';
export { acceptedVariants, diagnosticVariants, type UrlVariant } from './url-variants.ts';
export { splitTokens, safeEqual, sha256Hex } from './hmac.ts';
export {
  InstructionsError,
  maskInstructions,
  maskInstructionsText,
  type CallInstructions,
  type DialTarget,
  type SipTransport,
} from './call-instructions.ts';
export { parseInstructions } from './parse-instructions.ts';
export { buildInstructions, emptyResponse, type DialSpec } from './build-instructions.ts';
export { defaultParams, statusOf, callIdOf, type WebhookKind } from './provider-params.ts';
export {
  buildSignedRequest,
  type SignedRequest,
  type BuildRequestInput,
} from './webhook-request.ts';
export {
  sendWebhook,
  MAX_RESPONSE_BYTES,
  type SendResult,
  type WebhookResponse,
} from './send-webhook.ts';
export {
  validateRequest,
  requestParams,
  type IncomingRequest,
  type ValidateOptions,
} from './validate-request.ts';
export {
  PlatformHandler,
  kindOf,
  type PlatformOptions,
  type HandledRequest,
} from './platform-handler.ts';
export { followArgs } from './follow-args.ts';
export { runExchange, showUrl, type Exchange, type ExchangeInput } from './webhook-exchange.ts';
export type { WebhookSendReport, WebhookVerdict } from '../../shared/api/webhook-contract.ts';
