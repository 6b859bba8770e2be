/** Public API of the SIP syntax layer: message model, parse/serialize, URIs, header values. */
export {
  COMPACT_FORMS,
  LIST_HEADERS,
  Headers,
  SipParseError,
  canonicalName,
  createRequest,
  createResponse,
  isRequest,
  splitComma,
  type HeaderField,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.ts';
export { parseMessage } from './parser.ts';
export { serializeMessage } from './serializer.ts';
export { formatUri, parseUri, type SipUri } from './uri.ts';
export { formatNameAddr, isStarContact, parseNameAddr, type NameAddr } from './name-addr.ts';
export { formatParams, parseParams, parseParamsStrict, type Params } from './params.ts';
export { BRANCH_COOKIE, formatVia, parseVia, type Via } from './via.ts';
export { parseCSeq, type CSeq } from './cseq.ts';
export { callIdOf, cseqOf, tagOf, topVia } from './accessors.ts';
export { checkRequest, validateRequest, validateResponse, type Rejection, type ValidateOptions } from './validate.ts';
export { FramingError, StreamFramer, type FramerLimits, type FramerOutput } from './framer.ts';
