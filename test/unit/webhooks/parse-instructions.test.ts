import { describe, expect, it } from 'vitest';
import {
  buildInstructions,
  followArgs,
  InstructionsError,
  parseInstructions,
} from '../../../src/main/webhooks/index.ts';

describe('TwiML <Dial><Sip>', () => {
  const twiml = `<?xml version="1.0"?><Response><Dial answerOnBridge="true" callerId="+15551230000" timeout="20">
    <Sip username="trunkuser" password="trunkpass" statusCallbackEvent="initiated ringing answered completed" statusCallback="https://app/sip-status">sip:+15551234567@example.sip.livekit.cloud;transport=tcp?X-Tenant=acme</Sip>
  </Dial></Response>`;
  it('gives URI, transport, credentials, caller ID, timeout, headers', () => {
    const ci = parseInstructions('twilio', twiml);
    expect(ci.callerId).toBe('+15551230000');
    expect(ci.timeoutS).toBe(20);
    expect(ci.targets).toHaveLength(1);
    const t = ci.targets[0]!;
    expect(t).toMatchObject({
      uri: 'sip:+15551234567@example.sip.livekit.cloud;transport=tcp',
      transport: 'tcp',
      username: 'trunkuser',
      password: 'trunkpass',
      headers: { 'X-Tenant': 'acme' },
    });
    expect(t.attributes.password).toBeUndefined();
    expect(t.attributes.statusCallback).toBe('https://app/sip-status');
    expect(followArgs(ci, { durationS: 2, json: true })).toEqual([
      'sip:+15551234567@example.sip.livekit.cloud;transport=tcp',
      '--transport',
      'tcp',
      '--user',
      'trunkuser',
      '--password',
      'trunkpass',
      '--from',
      'sip:+15551230000@example.sip.livekit.cloud',
      '--timeout',
      '20',
      '--duration',
      '2',
      '--header',
      'X-Tenant: acme',
      '--json',
    ]);
  });
  it('username without password is an error naming <Sip>', () => {
    expect(() =>
      parseInstructions(
        'twilio',
        '<Response><Dial><Sip username="u">sip:a@b</Sip></Dial></Response>',
      ),
    ).toThrow(/<Sip> has username but no password/);
  });
});

describe('PlivoXML <Dial><User>sip:USER:PASS@HOST</User>', () => {
  it('moves the password out of the URI into digest credentials', () => {
    const ci = parseInstructions(
      'plivo',
      '<Response><Dial callerId="15551230000" timeLimit="60"><User>sip:agent:p%40ss@127.0.0.1:5070</User></Dial></Response>',
    );
    const t = ci.targets[0]!;
    expect(t.uri).toBe('sip:agent@127.0.0.1:5070');
    expect(t).toMatchObject({ username: 'agent', password: 'p@ss', transport: undefined });
    const args = followArgs(ci, { durationS: 90 });
    expect(args).toContain('--duration');
    expect(args[args.indexOf('--duration') + 1]).toBe('60');
    expect(args.join(' ')).not.toContain('p%40ss@');
  });
  it('round-trips what the listener builds', () => {
    const xml = buildInstructions('plivo', {
      uri: 'sip:agent@127.0.0.1:5060',
      username: 'agent',
      password: 'pw',
    });
    expect(parseInstructions('plivo', xml).targets[0]).toMatchObject({
      uri: 'sip:agent@127.0.0.1:5060',
      username: 'agent',
      password: 'pw',
    });
  });
});

describe('ExoML <Dial>', () => {
  it('SIP URI inside Dial, sips: means TLS', () => {
    const ci = parseInstructions(
      'exotel',
      '<Response><Dial timeout="30" callerId="08012345678">sips:agent@pbx.example.com</Dial></Response>',
    );
    expect(ci.targets[0]).toMatchObject({ uri: 'sips:agent@pbx.example.com', transport: 'tls' });
    expect(ci.timeoutS).toBe(30);
  });
  it('a number is reported, not followed', () => {
    const ci = parseInstructions('exotel', '<Response><Dial>09876543210</Dial></Response>');
    expect(ci.numbers).toEqual(['09876543210']);
    expect(() => followArgs(ci)).toThrow(/only the number/);
  });
});

describe('malformed instructions name the element', () => {
  const cases: [string, string, RegExp, string | undefined][] = [
    ['twilio', '<Response><Dial><Sip>sip:a@b</Dial></Response>', /closing tag 'Sip'/, 'Sip'],
    ['twilio', '<Response><Dial><Sip>sip:a@b</Sip>', /<Dial> is never closed/, 'Dial'],
    ['plivo', 'Internal Server Error', /not XML/, undefined],
    ['plivo', '', /empty/, undefined],
    ['twilio', '<Foo/>', /<Response> root/, 'Response'],
    [
      'twilio',
      '<Response><Say>hi</Say><Hangup/></Response>',
      /no <Dial>.*<Say> <Hangup>/,
      'Response',
    ],
    ['twilio', '<Response><Dial></Dial></Response>', /<Dial> has no <Sip>/, 'Dial'],
    ['plivo', '<Response><Dial><User></User></Dial></Response>', /<User> is empty/, 'User'],
    [
      'plivo',
      '<Response><Dial><User>tel:123</User></Dial></Response>',
      /<User> does not hold a SIP URI/,
      'User',
    ],
    [
      'twilio',
      '<Response><Dial timeout="soon"><Sip>sip:a@b</Sip></Dial></Response>',
      /timeout must be a whole number/,
      'Dial',
    ],
    [
      'twilio',
      '<Response><Dial><Sip>sip:a@b;transport=sctp</Sip></Dial></Response>',
      /transport "sctp"/,
      'Sip',
    ],
    ['exotel', '<Response><Dial/></Response>', /<Dial> is empty/, 'Dial'],
  ];
  it.each(cases)('%s %s', (provider, xml, msg, element) => {
    try {
      parseInstructions(provider as 'twilio', xml);
      expect.fail('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(InstructionsError);
      expect((err as Error).message).toMatch(msg);
      expect((err as InstructionsError).element).toBe(element);
    }
  });
});
