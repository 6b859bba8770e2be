import { describe, expect, it } from 'vitest';
import { familyOf, hostPort, isLoopback, isWildcard, normalizeAddress, sameAddress } from '../../../../src/main/sip/transport/ip.ts';
import { concreteLocalAddress } from '../../../../src/main/sip/transport/local-address.ts';

describe('ip helpers', () => {
  it('normalizes IPv6 spellings, brackets and IPv4-mapped addresses', () => {
    expect(normalizeAddress('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(normalizeAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('Example.COM')).toBe('example.com');
    expect(sameAddress('::1', '[::0001]')).toBe(true);
    expect(sameAddress('127.0.0.1', '127.0.0.2')).toBe(false);
  });

  it('classifies addresses', () => {
    expect(familyOf('10.1.2.3')).toBe(4);
    expect(familyOf('[::1]')).toBe(6);
    expect(familyOf('sip.example.com')).toBe(0);
    expect(isWildcard('0.0.0.0') && isWildcard('::') && !isWildcard('::1')).toBe(true);
    expect(isLoopback('127.0.0.5') && isLoopback('::1') && !isLoopback('10.0.0.1')).toBe(true);
    expect(hostPort('::1', 5060)).toBe('[::1]:5060');
    expect(hostPort('10.0.0.1', 5060)).toBe('10.0.0.1:5060');
  });

  it('picks a concrete local address for wildcard binds', () => {
    expect(concreteLocalAddress('0.0.0.0', 4, '127.0.0.1')).toBe('127.0.0.1');
    expect(concreteLocalAddress('::', 6, '::1')).toBe('::1');
    expect(concreteLocalAddress('192.0.2.4', 4, '127.0.0.1')).toBe('192.0.2.4');
    const ext = concreteLocalAddress('0.0.0.0', 4, '203.0.113.9');
    expect(familyOf(ext)).toBe(4);
    expect(isWildcard(ext)).toBe(false);
  });
});
