/**
 * `data-testid`s of the Diagnostics view and the trace view's capture parts (navigation tab:
 * nav-diagnostics). Change them only together with test/integration/e2e/diagnostics.test.ts.
 *
 *  diag-file          <input type=file> (pcap, pcapng); the drop zone diag-drop takes a dropped file
 *  diag-status        what the last open did ("opened NAME: N call(s)" or the error)
 *  diag-filter-cause  <select>: "" every call, else a cause code
 *  diag-count         "<shown> / <all> call(s)"
 *  diag-call          one call: data-key, data-call-id, data-source ("" live, else cap-N), data-verdict
 *  diag-verdict       ok | degraded | failed | in progress
 *  diag-ladder        the call's ladder in the trace view
 *  diag-cause         one cause: data-code, data-severity
 *  diag-evidence      a reference to a message (data-ref "msg N" / "frame N"): selects it in the ladder
 *  trace-source       <select> of the trace view: "" live, else a capture id
 *  trace-diagnosis    the trace view's panel: the filtered call's verdict, causes, RTP streams
 *  trace-capture-stream  one RTP stream row of an imported call (data-dir)
 *  diag-bundle        "Save support bundle" of one call (a diag-call row; ended calls only)
 *  diag-capture-bundle   "Save support bundle" of every call of an opened capture (its list row)
 *  call-bundle        "Save support bundle" on an ended call's card (Calls view)
 */
export const dtid = {
  file: 'diag-file',
  drop: 'diag-drop',
  status: 'diag-status',
  filterCause: 'diag-filter-cause',
  count: 'diag-count',
  call: 'diag-call',
  verdict: 'diag-verdict',
  ladder: 'diag-ladder',
  cause: 'diag-cause',
  evidence: 'diag-evidence',
  traceSource: 'trace-source',
  traceDiagnosis: 'trace-diagnosis',
  captureStream: 'trace-capture-stream',
  bundle: 'diag-bundle',
  captureBundle: 'diag-capture-bundle',
  callBundle: 'call-bundle',
} as const;
