/**
 * What the renderer bench runs inside the page (added as an init script, so it is there before the
 * renderer's own code): marks of the page load, and timers for clicks, filters and scrolling that
 * stop once the DOM shows the result and the next frame has been produced. Plain JavaScript in a
 * string: the page runs it as is. Reached from the bench as `globalThis.__bench`.
 */

export interface PageMarks {
  /** ms from navigation start (performance.now() in the page). */
  firstPaint: number;
  fcp: number;
  /** The React app's top bar is in the DOM. */
  app: number;
  /** The connection status says "connected". */
  open: number;
}

export interface LiveProbe {
  longTasks: number;
  longTaskMs: number;
  maxLongTaskMs: number;
  frames: number;
  /** Frames more than 50 ms after the previous one. */
  slowFrames: number;
  maxFrameMs: number;
}

export interface BenchApi {
  marks(): PageMarks;
  startLiveProbe(): void;
  stopLiveProbe(): LiveProbe;
  /** Click the element with this data-testid; ms until `selector` is in the DOM and a frame later. */
  timeClick(testid: string, selector: string): Promise<number>;
  /** Set a filter input as a user's typing does; ms until the trace count changes and a frame later. */
  timeFilter(testid: string, value: string): Promise<{ ms: number; text: string }>;
  /** Jump to random scroll positions; ms per jump until rows at that position are drawn. */
  scrollJumps(n: number): Promise<number[]>;
  /** Scroll `px` further every frame; the frame intervals in ms. */
  scrollSteady(n: number, px: number): Promise<number[]>;
}

declare global {
  var __bench: BenchApi;
}

export const MEASURE_SCRIPT = String.raw`
(() => {
  const marks = { app: 0, open: 0 };
  const check = () => {
    if (!marks.app && document.querySelector('[data-testid="nav-calls"]')) marks.app = performance.now();
    if (!marks.open && document.querySelector('[data-testid="conn-status"][data-status="open"]')) marks.open = performance.now();
    return marks.app && marks.open;
  };
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });

  const afterFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const byTestId = (id) => document.querySelector('[data-testid="' + id + '"]');
  /** Resolve when pred() holds (checked on every DOM change), or with false after ms. */
  const until = (pred, ms) => new Promise((resolve) => {
    if (pred()) return resolve(true);
    const o = new MutationObserver(() => { if (pred()) { o.disconnect(); clearTimeout(t); resolve(true); } });
    o.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    const t = setTimeout(() => { o.disconnect(); resolve(false); }, ms);
  });

  let live = null;
  globalThis.__bench = {
    marks() {
      check();
      const paint = (n) => performance.getEntriesByName(n)[0]?.startTime ?? 0;
      return { firstPaint: paint('first-paint'), fcp: paint('first-contentful-paint'), app: marks.app, open: marks.open };
    },
    startLiveProbe() {
      live = { longTasks: 0, longTaskMs: 0, maxLongTaskMs: 0, frames: 0, slowFrames: 0, maxFrameMs: 0, stop: false };
      const po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          live.longTasks++;
          live.longTaskMs += e.duration;
          live.maxLongTaskMs = Math.max(live.maxLongTaskMs, e.duration);
        }
      });
      po.observe({ type: 'longtask' });
      live.po = po;
      let last = performance.now();
      const tick = (now) => {
        if (live.stop) return;
        const d = now - last;
        last = now;
        live.frames++;
        if (d > 50) live.slowFrames++;
        live.maxFrameMs = Math.max(live.maxFrameMs, d);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stopLiveProbe() {
      live.stop = true;
      live.po.disconnect();
      const { po, stop, ...rest } = live;
      return rest;
    },
    async timeClick(testid, selector) {
      const t0 = performance.now();
      byTestId(testid).click();
      await until(() => document.querySelector(selector), 30000);
      await afterFrame();
      return performance.now() - t0;
    },
    async timeFilter(testid, value) {
      const input = byTestId(testid);
      const count = () => byTestId('trace-count')?.textContent ?? '';
      const before = count();
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const t0 = performance.now();
      setter.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const changed = await until(() => count() !== before, 30000);
      await afterFrame();
      return { ms: changed ? performance.now() - t0 : -1, text: count() };
    },
    async scrollJumps(n) {
      const el = document.querySelector('.ladder-scroll');
      const out = [];
      for (let i = 0; i < n; i++) {
        const top = Math.floor(Math.random() * (el.scrollHeight - el.clientHeight));
        const t0 = performance.now();
        el.scrollTop = top;
        const drawn = () => [...el.querySelectorAll('[data-testid="trace-row"]')].some((r) => {
          // Large offsets serialise with an exponent: translateY(2.49954e+06px).
          const y = parseFloat(r.style.transform.replace('translateY(', ''));
          return Number.isFinite(y) && Math.abs(y - top) < el.clientHeight;
        });
        for (let f = 0; f < 60 && !drawn(); f++) await new Promise((r) => requestAnimationFrame(r));
        await afterFrame();
        out.push(performance.now() - t0);
      }
      return out;
    },
    async scrollSteady(n, px) {
      const el = document.querySelector('.ladder-scroll');
      el.scrollTop = 0;
      await afterFrame();
      const out = [];
      let last = performance.now();
      for (let i = 0; i < n; i++) {
        el.scrollTop += px;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        out.push(now - last);
        last = now;
      }
      return out;
    },
  };
})();
`;
