/**
 * Stable `data-testid` values for end-to-end tests (Playwright) and component tests. Change them
 * only together with the tests that use them.
 *
 *  connection status   conn-status            text: "connecting…" | "connected" | "reconnecting…" | "disconnected";
 *                                             attribute data-status = connecting|open|reconnecting|closed
 *  theme toggle        theme-toggle           attribute data-theme on <html> is light|dark
 *  navigation tabs     nav-calls, nav-trace, nav-listener, nav-audio, nav-routing, nav-diagnostics
 *  diagnostics view    features/diagnostics/diag-testids.ts
 *  routing view        routing-text (<textarea>), routing-check, routing-status, routing-problems,
 *                      routing-rules (<ol>, li data-rule), routing-test-to|from|headers|source,
 *                      routing-test-run, routing-test-result, routing-test-error
 *  routing forms       rule-list (<ol>), rule-item (li data-rule, data-index, data-matched), rule-drag,
 *                      rule-edit, rule-up, rule-down, rule-delete, rule-add; rule-editor with
 *                      rule-name|default|did|did-e164|did-field|from|from-e164|from-field|source|
 *                      agent, rule-header-name-N|value-N, rule-transport-<t>, rule-time-*-N and
 *                      errors rule-error-<field>, rule-error (rule-wide); agent-item (data-agent),
 *                      agent-edit|delete|add, agent-name|type|<setting>|max-calls|digits,
 *                      failover-<event>-N|no-answer-N|then-N, failover-add, agent-error-<field>;
 *                      route-add|delete|name|numbers, route-move-on-<m>, target-uri|profile|
 *                      priority|weight-N, target-add; structured-unavailable (text does not parse)
 *  error messages      error-message          (each has a dismiss button error-dismiss)
 *
 *  dialer target       dialer-target          <input>; Enter places the call
 *  dialer error        dialer-error-<field>   field = target|codecs|headers|…
 *  dialer transport    dialer-transport       <select> udp|tcp|tls
 *  dialer codecs       dialer-codec-<NAME>    checkbox per codec (PCMU, PCMA, G722, opus, G729)
 *  dialer DTMF/SRTP    dialer-dtmf, dialer-srtp, dialer-source (<select>s)
 *  dialer headers      dialer-headers         <textarea>, "Name: value" lines
 *  dialer credentials  dialer-user, dialer-password, dialer-auth-user
 *  dialer proxy/From   dialer-proxy, dialer-from (<input>s; errors dialer-error-proxy, dialer-error-from)
 *  dialer profiles     profile-select (<select>, "" = no profile), profile-save-new, profile-update,
 *                      profile-delete (buttons), profile-save-password (checkbox),
 *                      profile-name + profile-name-save (the inline name form; its error
 *                      profile-name-error), profile-delete-confirm, profile-problem (a stored
 *                      value that could not be read / saved), profile-status (what was done)
 *  call button         dialer-call
 *  dialer keypad       dialer-key-<d>         d = 0-9, star, hash
 *  recent targets      dialer-recent          (buttons inside)
 *
 *  call card           call-card              attributes data-call-id, data-state
 *  call state text     call-state             e.g. "ringing", "connected", "ended 486 Busy Here"
 *  call timer          call-timer
 *  hangup              call-hangup            (Esc hangs up the newest live call)
 *  hold / resume       call-hold              text "Hold" or "Resume"
 *  accept / reject     call-accept, call-reject   (incoming calls)
 *  call keypad digits  call-key-<d>           d = 0-9, star, hash, A-D (digit keys work while the card is focused)
 *  send tone           call-send-tone
 *  ladder for call     call-ladder
 *  stats values        stat-jitter-sent, stat-jitter-recv, stat-loss-sent, stat-loss-recv,
 *                      stat-level-sent, stat-level-recv, stat-packets-sent, stat-packets-recv
 *  MOS badge           call-mos               attribute data-mos (number or "")
 *  one-way audio       call-oneway            banner with its evidence
 *
 *  trace row           trace-row              attributes data-id, data-call-id, data-retransmission (true|false),
 *                                             data-method (requests only, else ""), data-status (responses only, else "")
 *  trace RTP band      trace-stream
 *  trace count         trace-count            "<shown> / <total>"
 *  filter inputs       trace-filter-callid, trace-filter-method, trace-filter-status, trace-filter-text
 *  message pane        trace-message
 *  export buttons      export-text, export-pcap, export-text-redacted, export-pcap-redacted
 *
 *  listener            listener-start, listener-stop, listener-state (data-running=true|false),
 *                      listener-address, listener-port, listener-answer
 *
 *  audio               audio-input, audio-output (<select>s), meter-in, meter-out
 */
export const tid = {
  connStatus: 'conn-status',
  themeToggle: 'theme-toggle',
  nav: (v: string) => `nav-${v}`,
  errorMessage: 'error-message',
  errorDismiss: 'error-dismiss',
  dialerTarget: 'dialer-target',
  dialerError: (f: string) => `dialer-error-${f}`,
  dialerTransport: 'dialer-transport',
  dialerCodec: (c: string) => `dialer-codec-${c}`,
  dialerDtmf: 'dialer-dtmf',
  dialerSrtp: 'dialer-srtp',
  dialerSource: 'dialer-source',
  dialerHeaders: 'dialer-headers',
  dialerUser: 'dialer-user',
  dialerPassword: 'dialer-password',
  dialerAuthUser: 'dialer-auth-user',
  dialerProxy: 'dialer-proxy',
  dialerFrom: 'dialer-from',
  profileSelect: 'profile-select',
  profileSaveNew: 'profile-save-new',
  profileUpdate: 'profile-update',
  profileDelete: 'profile-delete',
  profileSavePassword: 'profile-save-password',
  profileName: 'profile-name',
  profileNameSave: 'profile-name-save',
  profileNameError: 'profile-name-error',
  profileDeleteConfirm: 'profile-delete-confirm',
  profileProblem: 'profile-problem',
  profileStatus: 'profile-status',
  dialerCall: 'dialer-call',
  dialerKey: (d: string) => `dialer-key-${keyName(d)}`,
  dialerRecent: 'dialer-recent',
  callCard: 'call-card',
  callState: 'call-state',
  callTimer: 'call-timer',
  callHangup: 'call-hangup',
  callHold: 'call-hold',
  callAccept: 'call-accept',
  callReject: 'call-reject',
  callKey: (d: string) => `call-key-${keyName(d)}`,
  callSendTone: 'call-send-tone',
  callLadder: 'call-ladder',
  stat: (name: string) => `stat-${name}`,
  callMos: 'call-mos',
  callOneWay: 'call-oneway',
  traceRow: 'trace-row',
  traceStream: 'trace-stream',
  traceCount: 'trace-count',
  traceFilter: (f: 'callid' | 'method' | 'status' | 'text') => `trace-filter-${f}`,
  traceMessage: 'trace-message',
  exportBtn: (kind: string) => `export-${kind}`,
  listenerStart: 'listener-start',
  listenerStop: 'listener-stop',
  listenerState: 'listener-state',
  listenerAddress: 'listener-address',
  listenerPort: 'listener-port',
  listenerAnswer: 'listener-answer',
  audioInput: 'audio-input',
  audioOutput: 'audio-output',
  meterIn: 'meter-in',
  meterOut: 'meter-out',
  // Trunks view (features/profiles): list rows trunk-row (data-name), editor fields trunk-field-<field>,
  // its error trunk-error (text "field: message"), buttons trunk-new, trunk-save, trunk-delete,
  // trunk-test, trunk-use; the secrets store trunk-secret-store; test steps trunk-step (data-name,
  // data-status) inside trunk-steps; the dialer's banner for the trunk in use dialer-trunk.
  trunkRow: 'trunk-row',
  trunkField: (f: string) => `trunk-field-${f}`,
  trunkError: 'trunk-error',
  trunkNew: 'trunk-new',
  trunkSave: 'trunk-save',
  trunkDelete: 'trunk-delete',
  trunkTest: 'trunk-test',
  trunkUse: 'trunk-use',
  trunkSecretStore: 'trunk-secret-store',
  trunkSteps: 'trunk-steps',
  trunkStep: 'trunk-step',
  dialerTrunk: 'dialer-trunk',
} as const;

function keyName(d: string): string {
  return d === '*' ? 'star' : d === '#' ? 'hash' : d;
}
