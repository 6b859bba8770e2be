/**
 * Renderer bench (issue 5 "Performance"), in Debian's Chromium through the web shell:
 *
 * 1. First paint: cold page loads (a fresh browser context each: empty cache) and warm reloads of
 *    `trunkscope ui`'s URL; first paint / first contentful paint, the React app's first render
 *    and the engine connection being open, all from navigation start.
 * 2. A trace of 100 000 SIP messages made by the real engine: a few calls to the built-in agent
 *    (14 entries each: both legs are in one engine), then a SIPp OPTIONS flood at a bounded rate
 *    into the agent (2 entries per OPTIONS: received, answered). A page stays open on the Trace
 *    view during the flood (live: long tasks, frame gaps, lag behind the engine at the end).
 * 3. A fresh page loads that trace (resync: `app.snapshot` + one `trace.query`), renders the
 *    ladder, filters it (Call-ID, method, status, free text; set and cleared), scrolls it.
 * 4. JS heap of the renderer (CDP, after a forced GC) with the empty app and with the trace.
 *
 *   npx node bench/renderer/run.ts [--messages 100000] [--rate 1000] [--calls 10]
 *        [--paint-runs 10] [--quick] [--out bench/renderer/results.json]
 *
 * Bounded: SIPp sends exactly the OPTIONS needed (-m) with a global timeout; every wait has a
 * deadline; the web shell and SIPp are stopped by PID at the end.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, VIEWPORT } from '../../test/support/browser.ts';
import { freePort } from '../../test/support/ports.ts';
import { stopAllStarted } from '../../test/support/processes.ts';
import { explainSipp, startSipp } from '../../test/support/sipp.ts';
import {
  ContractClient,
  ensureRendererBuilt,
  startWebShellProcess,
  type WebShellProc,
} from '../../test/support/web-shell.ts';
import { MEASURE_SCRIPT, type PageMarks } from './page-probes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

interface Options {
  messages: number;
  rate: number;
  calls: number;
  paintRuns: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    messages: 100_000,
    rate: 1000,
    calls: 10,
    paintRuns: 10,
    out: join(here, 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--messages') o.messages = Number(v());
    else if (a === '--rate') o.rate = Number(v());
    else if (a === '--calls') o.calls = Number(v());
    else if (a === '--paint-runs') o.paintRuns = Number(v());
    else if (a === '--out') o.out = resolve(v());
    else if (a === '--quick') Object.assign(o, { messages: 10_000, paintRuns: 3, calls: 3 });
    else throw new Error(`unknown option ${a}`);
  }
  if ((o.messages - 14 * o.calls) % 2 !== 0 || o.messages < 14 * o.calls) {
    throw new Error('--messages minus 14 per call must be even and not negative');
  }
  return o;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? NaN };
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms: number,
  every = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(MEASURE_SCRIPT);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  return { context, page };
}

const marks = (page: Page): Promise<PageMarks> => page.evaluate(() => globalThis.__bench.marks());

async function heapMb(
  context: BrowserContext,
  page: Page,
): Promise<{ usedMb: number; totalMb: number }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const h = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return { usedMb: mb(h.usedSize), totalMb: mb(h.totalSize) };
}

// ---------- 1. first paint ----------

/** The page's marks once it is connected (and has painted). */
function loaded(page: Page): Promise<PageMarks> {
  return waitFor(
    'connected',
    async () => {
      const m = await marks(page);
      return m.open > 0 && m.fcp > 0 ? m : null;
    },
    15_000,
  );
}

async function firstPaint(browser: Browser, shell: WebShellProc, runs: number) {
  const cold: PageMarks[] = [];
  const warm: PageMarks[] = [];
  let emptyHeap = { usedMb: NaN, totalMb: NaN };
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(shell.url, { waitUntil: 'load' });
      cold.push(await loaded(page));
      await page.reload({ waitUntil: 'load' });
      warm.push(await loaded(page));
      if (i === runs - 1) emptyHeap = await heapMb(context, page);
    } finally {
      await context.close();
    }
  }
  const sum = (list: PageMarks[]) => ({
    firstPaintMs: stats(list.map((m) => m.firstPaint)),
    firstContentfulPaintMs: stats(list.map((m) => m.fcp)),
    appRenderedMs: stats(list.map((m) => m.app)),
    connectedMs: stats(list.map((m) => m.open)),
  });
  return { cold: sum(cold), warm: sum(warm), emptyHeap };
}

// ---------- 2. the trace, made by the engine ----------

async function makeTrace(browser: Browser, shell: WebShellProc, side: ContractClient, o: Options) {
  let listenPort = 0;
  for (let attempt = 0; attempt < 3 && !listenPort; attempt++) {
    const port = await freePort(2);
    const st = await side
      .invoke('listener.start', { address: '127.0.0.1', port, transports: ['udp'], answer: 'echo' })
      .catch(() => null);
    if (st?.running) listenPort = port;
  }
  if (!listenPort) throw new Error('the listener did not start');

  // A page that watches it all arrive, on the Trace view (following new messages).
  const live = await newPage(browser);
  await live.page.goto(shell.url, { waitUntil: 'load' });
  await waitFor('live page connected', async () => (await marks(live.page)).open, 15_000);
  await live.page.getByTestId('nav-trace').click();
  await live.page.evaluate(() => globalThis.__bench.startLiveProbe());

  // A few real calls: INVITE/100/180/200/ACK/BYE/200 on both legs.
  const callIds: string[] = [];
  for (let i = 0; i < o.calls; i++) {
    const { callId } = await side.invoke('call.place', {
      target: `sip:echo@127.0.0.1:${listenPort}`,
      source: 'tone',
    });
    callIds.push(callId);
    await waitFor(
      'call connected',
      async () => {
        const s = await side.invoke('app.snapshot', {});
        return s.calls.find((c) => c.callId === callId)?.state === 'connected';
      },
      10_000,
      20,
    );
    await side.invoke('call.hangup', { callId });
    await waitFor(
      'call ended',
      async () => {
        const s = await side.invoke('app.snapshot', {});
        return s.calls
          .filter((c) => c.sipCallId === callId || c.callId === callId)
          .every((c) => c.state === 'terminated');
      },
      10_000,
      20,
    );
  }
  await waitFor(
    'the calls traced',
    async () => (await side.invoke('app.snapshot', {})).traceCount >= 14 * o.calls,
    5000,
  );

  // The OPTIONS flood.
  const options = (o.messages - 14 * o.calls) / 2;
  const t0 = Date.now();
  const sipp = await startSipp({
    scenario: 'uac-options',
    remote: `127.0.0.1:${listenPort}`,
    localPort: await freePort(),
    calls: options,
    rate: o.rate,
    timeoutMs: Math.ceil((options / o.rate) * 1000) * 3 + 30_000,
    extraArgs: ['-l', '500', '-recv_timeout', '10000'],
  });
  const res = await sipp.result;
  const floodMs = Date.now() - t0;
  if (res.code !== 0) throw new Error(`SIPp OPTIONS flood failed:\n${explainSipp(res, 2000)}`);
  const total = await waitFor(
    'the engine to trace every message',
    async () => {
      const n = (await side.invoke('app.snapshot', {})).traceCount;
      return n >= o.messages && n;
    },
    10_000,
  );
  const sippDone = Date.now();
  const want = `${total} / ${total}`;
  await waitFor(
    'the live page to show every message',
    async () => (await live.page.getByTestId('trace-count').textContent()) === want,
    60_000,
  );
  const liveLagMs = Date.now() - sippDone;
  const probe = await live.page.evaluate(() => globalThis.__bench.stopLiveProbe());
  const liveHeap = await heapMb(live.context, live.page);
  await live.context.close();
  await side.invoke('listener.stop', {});
  return { total, callIds, floodMs, options, liveLagMs, probe, liveHeap };
}

// ---------- 3. a fresh page with the trace ----------

async function loadAndFilter(
  browser: Browser,
  shell: WebShellProc,
  total: number,
  callIds: string[],
) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(shell.url, { waitUntil: 'load' });
    await waitFor('connected', async () => (await marks(page)).open, 15_000);
    // Straight to the Trace view: the resync's trace.query is in flight.
    await page.getByTestId('nav-trace').click();
    const want = `${total} / ${total}`;
    await waitFor(
      'the trace loaded',
      async () => (await page.getByTestId('trace-count').textContent()) === want,
      120_000,
      20,
    );
    const m = await marks(page);
    const loadedMs = await page.evaluate(() => performance.now());
    await page.waitForSelector('[data-testid="trace-row"]');

    // Switching to the Trace view with the trace in the store: render of the ladder.
    const switchMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.getByTestId('nav-calls').click();
      await page.waitForSelector('[data-testid="dialer-target"]');
      switchMs.push(
        await page.evaluate(() =>
          globalThis.__bench.timeClick('nav-trace', '[data-testid="trace-row"]'),
        ),
      );
    }
    const domRows = await page.getByTestId('trace-row').count();

    // Filters: each set from the unfiltered view, then cleared.
    const pid =
      /(\d+)@/.exec(
        (await page.getByTestId('trace-row').last().getAttribute('data-call-id')) ?? '',
      )?.[1] ?? '';
    const sippCallId = `4242-${pid}@127.0.0.1`;
    const cases: Array<{ name: string; testid: string; value: string }> = [
      {
        name: 'Call-ID of a call (indexed)',
        testid: 'trace-filter-callid',
        value: callIds[0] ?? '',
      },
      { name: 'Call-ID of one OPTIONS', testid: 'trace-filter-callid', value: sippCallId },
      { name: 'method INVITE', testid: 'trace-filter-method', value: 'INVITE' },
      { name: 'method BYE', testid: 'trace-filter-method', value: 'BYE' },
      { name: 'status 1xx', testid: 'trace-filter-status', value: '1xx' },
      { name: 'status 2xx', testid: 'trace-filter-status', value: '2xx' },
      {
        name: 'text, ~11 % match (SIPp tag 1…)',
        testid: 'trace-filter-text',
        value: `tag=${pid}SIPpTag001`,
      },
      { name: 'text, no match', testid: 'trace-filter-text', value: 'x-no-such-header' },
      {
        name: 'text, one message (branch)',
        testid: 'trace-filter-text',
        value: `branch=z9hG4bK-${pid}-777-0`,
      },
    ];
    const filters: Array<{ name: string; shown: string; setMs: number[]; clearMs: number[] }> = [];
    for (const c of cases) {
      const setMs: number[] = [];
      const clearMs: number[] = [];
      let shown = '';
      for (let i = 0; i < 5; i++) {
        const a = await page.evaluate(
          ([t, v]) => globalThis.__bench.timeFilter(t!, v!),
          [c.testid, c.value],
        );
        shown = a.text;
        setMs.push(a.ms);
        const b = await page.evaluate(([t]) => globalThis.__bench.timeFilter(t!, ''), [c.testid]);
        clearMs.push(b.ms);
        // The renderer caches the last filter's result: another filter in between replaces it,
        // so every measured run scans the whole trace.
        await page.evaluate(() =>
          globalThis.__bench.timeFilter('trace-filter-text', 'x-cache-buster'),
        );
        await page.evaluate(() => globalThis.__bench.timeFilter('trace-filter-text', ''));
      }
      filters.push({ name: c.name, shown, setMs, clearMs });
    }

    // Scrolling: jumps to random places, and a steady scroll, one step per frame.
    const jumps = await page.evaluate(() => globalThis.__bench.scrollJumps(60));
    const steady = await page.evaluate(() => globalThis.__bench.scrollSteady(120, 600));
    const heap = await heapMb(context, page);
    return {
      connectedMs: m.open,
      loadedMs,
      switchMs: stats(switchMs),
      domRows,
      filters: filters.map((f) => ({
        name: f.name,
        shown: f.shown,
        set: stats(f.setMs),
        clear: stats(f.clearMs),
      })),
      scrollJumpFrameMs: stats(jumps),
      scrollSteadyFrameMs: stats(steady),
      heap,
    };
  } finally {
    await context.close();
  }
}

// ---------- 5. a trace just over the size of one resync query ----------

/**
 * The renderer resynchronises with one `trace.query` (at most 100 000 entries, the contract's
 * limit). With more in the engine, what does a fresh page show? 10 more OPTIONS (20 entries).
 */
async function beyondOneQuery(browser: Browser, shell: WebShellProc, side: ContractClient) {
  const port = await freePort(2);
  await side.invoke('listener.start', {
    address: '127.0.0.1',
    port,
    transports: ['udp'],
    answer: 'echo',
  });
  const sipp = await startSipp({
    scenario: 'uac-options',
    remote: `127.0.0.1:${port}`,
    localPort: await freePort(),
    calls: 10,
    timeoutMs: 20_000,
  });
  await sipp.result;
  await side.invoke('listener.stop', {});
  const engine = (await side.invoke('app.snapshot', {})).traceCount;
  const newest = (await side.invoke('trace.query', { offset: engine - 1, limit: 1 })).entries[0];
  const { context, page } = await newPage(browser);
  try {
    await page.goto(shell.url, { waitUntil: 'load' });
    await waitFor('connected', async () => (await marks(page)).open, 15_000);
    await page.getByTestId('nav-trace').click();
    await waitFor(
      'the trace loaded',
      async () =>
        /^[1-9]\d* \/ \d+/.test((await page.getByTestId('trace-count').textContent()) ?? ''),
      120_000,
    );
    await page.waitForTimeout(3000);
    const shown = (await page.getByTestId('trace-count').textContent()) ?? '';
    // Is the newest message the engine has in the page's trace?
    await page.getByTestId('trace-filter-callid').fill(newest?.callId ?? '');
    await page.waitForTimeout(1000);
    const newestShown = await page.getByTestId('trace-row').count();
    return { engineEntries: engine, pageShows: shown, newestMessageRowsInPage: newestShown };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const built = await ensureRendererBuilt(180_000);
  const shell = await startWebShellProcess({ timeoutMs: 1_800_000 });
  const browser = await launchChromium({ args: ['--enable-precise-memory-info'] });
  const side = await ContractClient.connect(shell.url);
  try {
    const chromiumVersion = browser.version();
    process.stderr.write(
      `renderer ${built ? 'built' : 'up to date'}; Chromium ${chromiumVersion}; ${shell.url.replace(/token=.*/, 'token=…')}\n`,
    );
    const paint = await firstPaint(browser, shell, o.paintRuns);
    process.stderr.write(
      `first paint done: cold FCP median ${paint.cold.firstContentfulPaintMs.median} ms\n`,
    );
    const trace = await makeTrace(browser, shell, side, o);
    process.stderr.write(`trace: ${trace.total} messages in ${trace.floodMs} ms of flood\n`);
    const t0 = Date.now();
    const q = await side.invoke('trace.query', { offset: 0, limit: 100_000 }, 120_000);
    const queryMs = Date.now() - t0;
    const queryBytes = JSON.stringify(q).length;
    const fresh = await loadAndFilter(browser, shell, trace.total, trace.callIds);
    const beyond = await beyondOneQuery(browser, shell, side);
    const result = {
      at: new Date().toISOString(),
      machine: `${(await import('node:os')).cpus().length} cores, ${(await import('node:os')).cpus()[0]?.model ?? ''}`,
      chromium: chromiumVersion,
      options: o,
      paint,
      trace: {
        messages: trace.total,
        source: `${o.calls} calls to the built-in agent + ${trace.options} SIPp OPTIONS at ${o.rate}/s, through the engine`,
        floodMs: trace.floodMs,
        live: { lagMsAfterFlood: trace.liveLagMs, ...trace.probe, heap: trace.liveHeap },
        resyncQuery: { ms: queryMs, mb: mb(queryBytes) },
        fresh,
        beyondOneQuery: beyond,
      },
    };
    writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
    printSummary(result);
    console.log(
      `trace over one resync query: engine ${beyond.engineEntries} entries; a fresh page shows "${beyond.pageShows}"; rows of the newest message's Call-ID in the page: ${beyond.newestMessageRowsInPage}`,
    );
    process.stderr.write(`written ${o.out.replace(`${root}/`, '')}\n`);
  } finally {
    side.close();
    await browser.close().catch(() => undefined);
    await shell.stop();
    await stopAllStarted();
  }
}

function printSummary(r: {
  paint: Awaited<ReturnType<typeof firstPaint>>;
  trace: {
    messages: number;
    floodMs: number;
    live: {
      lagMsAfterFlood: number;
      longTasks: number;
      longTaskMs: number;
      maxLongTaskMs: number;
      heap: { usedMb: number };
    };
    resyncQuery: { ms: number; mb: number };
    fresh: Awaited<ReturnType<typeof loadAndFilter>>;
  };
}): void {
  const p = r.paint;
  const out: string[] = [];
  out.push('| page load (ms from navigation start) | cold median | cold max | warm median |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const [k, label] of [
    ['firstPaintMs', 'first paint'],
    ['firstContentfulPaintMs', 'first contentful paint'],
    ['appRenderedMs', 'app rendered (React)'],
    ['connectedMs', 'engine connected (WebSocket open)'],
  ] as const) {
    out.push(
      `| ${label} | ${r1(p.cold[k].median)} | ${r1(p.cold[k].max)} | ${r1(p.warm[k].median)} |`,
    );
  }
  const f = r.trace.fresh;
  out.push('');
  out.push(`| ${r.trace.messages} messages | median | p95 | max |`);
  out.push('| --- | ---: | ---: | ---: |');
  out.push(
    `| open the Trace view (render the ladder) | ${r1(f.switchMs.median)} | ${r1(f.switchMs.p95)} | ${r1(f.switchMs.max)} |`,
  );
  for (const x of f.filters) {
    out.push(
      `| filter: ${x.name} → ${x.shown} | ${r1(x.set.median)} | ${r1(x.set.p95)} | ${r1(x.set.max)} |`,
    );
    out.push(`| … cleared | ${r1(x.clear.median)} | ${r1(x.clear.p95)} | ${r1(x.clear.max)} |`);
  }
  out.push(
    `| scroll: frame after a jump | ${r1(f.scrollJumpFrameMs.median)} | ${r1(f.scrollJumpFrameMs.p95)} | ${r1(f.scrollJumpFrameMs.max)} |`,
  );
  out.push(
    `| scroll: frame, steady 600 px/frame | ${r1(f.scrollSteadyFrameMs.median)} | ${r1(f.scrollSteadyFrameMs.p95)} | ${r1(f.scrollSteadyFrameMs.max)} |`,
  );
  out.push('');
  out.push(
    `fresh page: connected ${r1(f.connectedMs)} ms, all ${r.trace.messages} loaded and shown ${r1(f.loadedMs)} ms after navigation start; ${f.domRows} rows in the DOM`,
  );
  out.push(
    `resync trace.query: ${r.trace.resyncQuery.ms} ms, ${r.trace.resyncQuery.mb} MB of JSON`,
  );
  out.push(
    `JS heap after GC: empty app ${p.emptyHeap.usedMb} MB; with the trace ${f.heap.usedMb} MB (fresh page), ${r.trace.live.heap.usedMb} MB (page open during the flood)`,
  );
  out.push(
    `live page during the flood (${Math.round(r.trace.floodMs / 1000)} s): ${r.trace.live.longTasks} long tasks, ${Math.round(r.trace.live.longTaskMs)} ms in total, longest ${Math.round(r.trace.live.maxLongTaskMs)} ms; caught up ${r.trace.live.lagMsAfterFlood} ms after the engine`,
  );
  console.log(out.join('\n'));
}

await main();
