/**
 * What the provider side sees from a broken platform: non-XML, truncated XML, a redirect, an
 * oversized body, no answer at all, and a TLS handshake against a plain-HTTP port. Each is a
 * clear reason and exit 1, never a crash.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { firstJson } from './webhook-cli.ts';

let server: Server;
let base = '';
const held: { end(): void }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    req.resume();
    if (path.startsWith('/html'))
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><html><body>Internal error</body>');
    else if (path.startsWith('/text'))
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    else if (path.startsWith('/truncated'))
      res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end('<Response><Dial callerId="+1555"><Sip>sip:agent@127.0.0.1</Sip>');
    else if (path.startsWith('/redirect'))
      res.writeHead(301, { location: 'https://elsewhere.example/answer' }).end();
    else if (path.startsWith('/huge'))
      res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(`<Response><Say>${'x'.repeat(300_000)}</Say></Response>`);
    else if (path.startsWith('/hang')) held.push(res);
    else if (path.startsWith('/cut')) {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '500' });
      res.write('<Response><Dial>');
      setTimeout(() => res.destroy(), 50);
    } else res.writeHead(404).end('no such page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  for (const r of held) r.end();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const send = (url: string, extra: string[] = []) =>
  runCli(
    ['webhook', 'send', '--provider', 'twilio', '--url', url, '--token', 'tok', '--json', ...extra],
    { timeoutMs: 20_000 },
  );

describe('webhook send against a broken platform', () => {
  it.each([
    ['/html', /call instructions are unusable: .*(not XML|malformed TwiML|<Response> root)/],
    ['/text', /call instructions are unusable: the response is not XML/],
    ['/truncated', /unusable: TwiML is truncated or unbalanced: <Dial> is never closed/],
    ['/redirect', /HTTP 301 redirect to https:\/\/elsewhere\.example\/answer: not followed/],
    ['/missing', /HTTP 404 Not Found: the platform refused the answer callback: no such page/],
    ['/cut', /cut off after 16 bytes|closed before a full response/],
  ])('%s', async (path, reason) => {
    const r = await send(`http://${base}${path}`);
    expect(r.code, explain(r)).toBe(1);
    expect(String(firstJson(r.stdout).reason), explain(r)).toMatch(reason);
  });

  it('an oversized body is cut off at --max-bytes and said so', async () => {
    const r = await send(`http://${base}/huge`, ['--max-bytes', '4096']);
    expect(r.code, explain(r)).toBe(1);
    const j = firstJson(r.stdout) as {
      reason: string;
      response: { bytes: number; truncated: boolean };
    };
    expect(j.response).toMatchObject({ bytes: 4096, truncated: true });
    expect(j.reason).toMatch(/cut off at 4096 bytes/);
  });

  it('no answer: a timeout with the time waited', async () => {
    const r = await send(`http://${base}/hang`, ['--http-timeout', '1']);
    expect(r.code, explain(r)).toBe(1);
    expect(String(firstJson(r.stdout).reason)).toMatch(
      /no complete response within 1000 ms \(timeout\)/,
    );
  });

  it('TLS to a plain-HTTP port is a TLS error; refused connection is named', async () => {
    const tls = await send(`https://${base}/answer`);
    expect(tls.code, explain(tls)).toBe(1);
    expect(String(firstJson(tls.stdout).reason)).toMatch(/TLS error/);
    const refused = await send('http://127.0.0.1:1/answer');
    expect(refused.code, explain(refused)).toBe(1);
    expect(String(firstJson(refused.stdout).reason)).toMatch(/connection refused/);
  });

  it('usage errors exit 2', async () => {
    const r = await runCli([
      'webhook',
      'send',
      '--provider',
      'twilio',
      '--url',
      'ftp://x/y',
      '--token',
      'tok',
    ]);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toMatch(/expected an http:\/\/ or https:\/\/ URL/);
    const k = await runCli([
      'webhook',
      'send',
      '--provider',
      'twilio',
      '--url',
      `http://${base}/`,
      '--token',
      'tok',
      '--kind',
      'status',
      '--follow',
    ]);
    expect(k.code, explain(k)).toBe(2);
  });
});
