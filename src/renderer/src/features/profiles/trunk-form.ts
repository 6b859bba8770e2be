/** The Trunks editor's form: the fields it shows, as text, to and from a profile. */
import type { Profile } from '../../../../shared/model/profile.ts';

export interface TrunkForm {
  name: string;
  preset: string;
  mode: 'register' | 'ip';
  domain: string;
  transport: 'udp' | 'tcp' | 'tls';
  username: string;
  authUsername: string;
  password: string;
  realm: string;
  outboundProxy: string;
  codecs: string;
  dtmf: 'rfc2833' | 'info' | 'inband';
  tlsVerify: boolean;
  allowFrom: string;
}

export const emptyForm: TrunkForm = {
  name: '',
  preset: 'generic',
  mode: 'register',
  domain: '',
  transport: 'udp',
  username: '',
  authUsername: '',
  password: '',
  realm: '',
  outboundProxy: '',
  codecs: 'PCMU,PCMA',
  dtmf: 'rfc2833',
  tlsVerify: true,
  allowFrom: '',
};

export function formOf(p: Profile): TrunkForm {
  return {
    name: p.name,
    preset: p.preset,
    mode: p.mode,
    domain: p.domain,
    transport: p.transport,
    username: p.username,
    authUsername: p.authUsername,
    password: '',
    realm: p.realm,
    outboundProxy: p.outboundProxy,
    codecs: p.codecs.join(','),
    dtmf: p.dtmf,
    tlsVerify: p.tls.verify,
    allowFrom: p.inbound.allowFrom.join(', '),
  };
}

const list = (t: string): string[] =>
  t
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The profile fields to send (the engine validates them and names a bad field). */
export function profileOf(f: TrunkForm): Record<string, unknown> {
  return {
    name: f.name.trim(),
    preset: f.preset,
    mode: f.mode,
    domain: f.domain.trim(),
    transport: f.transport,
    username: f.username.trim(),
    authUsername: f.authUsername.trim(),
    realm: f.realm.trim(),
    outboundProxy: f.outboundProxy.trim(),
    codecs: list(f.codecs),
    dtmf: f.dtmf,
    tls: { verify: f.tlsVerify },
    inbound: { allowFrom: list(f.allowFrom) },
  };
}

/** "profiles.save: domain: a host name…" → { field: 'domain', message }. */
export function fieldOfError(message: string): { field: string; message: string } {
  const m = /^(?:profiles\.save: )?([A-Za-z][\w.]*): (.*)$/s.exec(message);
  return m ? { field: m[1]!, message: m[2]! } : { field: '', message };
}
