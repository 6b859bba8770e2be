/**
 * The engine's one public face. Shells (CLI, web, Electron) import from here only — never from
 * sip/, sdp/ or media/ directly, nor from the engine's own folders (lint enforces it).
 */
export { EngineService, APP_VERSION, type EngineServiceOptions, type DispatchResult } from './service/engine-service.ts';
export { ClientSession, MAX_REQUEST_BYTES } from './service/client-session.ts';
export { SipStack, type StackOptions } from './stack/sip-stack.ts';
export { startStack, localAddressFor, type StackSpec, type TlsSpec } from './stack/stack-factory.ts';
export { runCall, type RunCallOptions, type CallScript } from './call/call-runner.ts';
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
export { WavFileError } from '../media/source/wav-file.ts';
export type { TransportProto, Endpoint } from '../sip/transport/types.ts';
export { parseUri } from '../sip/syntax/uri.ts';
export { pingOptions, type OptionsPing } from './call/options-ping.ts';
export { runRegistration } from './call/register-run.ts';
export { listenCallLine, listenCallText } from './report/listen-line.ts';
export * as webhooks from '../webhooks/index.ts';
// Load generator (issue 14).
export { LoadRunner, type LoadPlan, type LoadCall, type LoadProgress, type StartCall } from './load/load-runner.ts';
export { parseNumbersFile, NumbersFileError, type NumberRow } from './load/numbers-file.ts';
export { parseDurationSpec, DurationSpecError, type DurationSpec } from './load/rate-schedule.ts';
export { countRetransmissions } from './load/retransmission-count.ts';
export { checkThresholds, loadJunitXml, type LoadThresholds } from './load/load-verdict.ts';
export { buildSippExport, sippRate, SippExportError, type SippExportOptions, type ExportedFile } from './load/sipp-export.ts';
export { readSippStats, SippStatsError } from './load/sipp-stats.ts';
export { reportFromRaw, type LoadRaw } from './load/load-tally.ts';
// Diagnosis (issue 11/17): the verdict on every call report, its text and the exit code it sets.
export { diagnoseCall, type DiagnoseContext, type DiagnoseMessage } from './diagnose/diagnose-call.ts';
export { withDiagnosis, messagesFromTrace, type DiagnosisInput } from './diagnose/trace-messages.ts';
export { formatDiagnosis, formatMediaLine, mosText } from './diagnose/format.ts';
export { exitCodeFor, parseFailOn, type FailOn } from './diagnose/exit-code.ts';
export { diagnoseCapture, type CapturedCall, type DiagnoseCaptureResult } from './analyze/diagnose-capture.ts';
export { formatCapture, formatCapturedCall } from './analyze/format-capture.ts';
// Trunk profiles, presets, settings and secrets (issue 9 B).
export { ProfileBook, profileName, type ProfileExport, type ProfileSecrets } from './profiles/profile-book.ts';
export { ProfileError } from './profiles/profile-error.ts';
export { PRESETS, presetOf, type Preset } from './profiles/presets.ts';
export { profileFromPreset } from './profiles/new-profile.ts';
export { parseIpList, ipEntryError, type IpList } from './profiles/ip-list.ts';
export { openProfileBook } from './profiles/open-profile-book.ts';
export { configDir, SettingsStore, openSecrets, FileSecrets, type SecretStore } from '../platform/index.ts';
export { InboundGuard, type InboundGuardOptions } from './call/inbound-guard.ts';
export { testConnection, type TestConnectionOptions } from './profiles/test-connection.ts';
// Routing (issue 12): inbound rules, the rule tester, outbound routes.
export { loadRoutingFile, parseRoutingText, RoutingFileError, type RoutingProblem, type LoadOptions } from './routing/routing-load.ts';
export { testRoute, formatRouteTest, checkTestInput, RouteInputError, type RouteTestInput, type RouteTestResult } from './routing/route-tester.ts';
export type { RoutingTable, ProfileLookup, CallFacts } from './routing/routing-model.ts';
export { callThroughRoute, targetUri, type PlaceTarget, type RouteCallOptions } from './routing/route-attempts.ts';
export { routeForNumber, orderTargets, TargetHealth } from './routing/outbound-select.ts';
export { seededRandom } from '../../shared/seeded-random.ts';
export { InboundRouter, factsOf, type InboundRouterOptions } from './routing/inbound-router.ts';
export { watchRoutes, type RoutesWatch } from './routing/routes-watch.ts';
export { B2buaForwarder } from './routing/forward-leg.ts';
export { routerOn } from './routing/saved-router.ts';
// Support bundle (issue 11 item 5): one zip per call or capture for the support team.
export { supportBundle, bundleCallFromTrace, callIdFileName, type BundleCall, type SupportBundle, type SupportBundleInput } from './report/support-bundle.ts';
export { bundleCallsFromCapture } from './analyze/capture-bundle.ts';
