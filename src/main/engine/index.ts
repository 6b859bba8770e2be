/**
 * The engine's one public face. Shells (CLI, web, Electron) import from here only — never from
 * sip/, sdp/ or media/ directly, nor from the engine's own folders (lint enforces it).
 */
export { EngineService, APP_VERSION, type EngineServiceOptions, type DispatchResult } from './service/engine-service.ts';
export { ClientSession, MAX_REQUEST_BYTES } from './service/client-session.ts';
export { SipStack, type StackOptions } from './stack/sip-stack.ts';
export { runCall, type RunCallOptions } from './call/call-runner.ts';
export { Agent, parseAnswerMode, type AnswerMode, type AgentOptions } from './call/agent.ts';
export { CallMedia } from './media/call-media.ts';
export { SignalingOnlyMedia } from './media/signaling-only-media.ts';
export {
  DEFAULT_CODECS,
  MediaPrefsError,
  parseCodecList,
  parseDigits,
  parseDtmfMethod,
  parsePortRange,
  parseSrtpPolicy,
  type MediaPrefs,
  type SourceSpec,
} from './media/media-prefs.ts';
export { endpointText } from './report/report-helpers.ts';
export { junitXml } from './report/junit.ts';
export { formatTrace } from './trace/trace-format.ts';
export { analyzeCapture } from './analyze/analyze-capture.ts';
export { formatStream } from './analyze/format-analysis.ts';
// Until options/register move into the engine (issue 9 part A), their SIP pieces pass through here.
export { WavFileError } from '../media/source/wav-file.ts';
export type { TransportProto } from '../sip/transport/types.ts';
export { parseUri } from '../sip/syntax/uri.ts';
export { Registration } from '../sip/ua/registration.ts';
export { sendNonInvite, type RequestOutcome } from '../sip/ua/request-client.ts';
export { newCallId, newTag } from '../sip/ua/message-factory.ts';
export { createRequest, Headers } from '../sip/syntax/message.ts';
// Routing (issue 12): inbound rules, the rule tester, outbound routes.
export { loadRoutingFile, parseRoutingText, RoutingFileError, type RoutingProblem, type LoadOptions } from './routing/routing-load.ts';
export { testRoute, formatRouteTest, checkTestInput, RouteInputError, type RouteTestInput, type RouteTestResult } from './routing/route-tester.ts';
export type { RoutingTable, ProfileLookup, CallFacts } from './routing/routing-model.ts';
export { callThroughRoute, targetUri, type PlaceTarget, type RouteCallOptions } from './routing/route-attempts.ts';
export { routeForNumber, orderTargets, TargetHealth } from './routing/outbound-select.ts';
export { seededRandom } from './routing/seeded-random.ts';
export { InboundRouter, factsOf, type InboundRouterOptions } from './routing/inbound-router.ts';
export { watchRoutes, type RoutesWatch } from './routing/routes-watch.ts';
export { B2buaForwarder } from './routing/forward-leg.ts';
