/** Test certificates made at test time with `selfsigned` (EC P-256: fast to generate). */
import { generate } from 'selfsigned';

export interface TestPki {
  /** A self-signed leaf for 127.0.0.1 / ::1 / localhost. */
  selfSigned: { cert: string; key: string };
  /** A CA and a server and a client certificate it signed. */
  ca: { cert: string; key: string };
  server: { cert: string; key: string };
  client: { cert: string; key: string };
}

const san = {
  name: 'subjectAltName' as const,
  altNames: [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
  ],
};

export async function makePki(): Promise<TestPki> {
  const base = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' };
  const self = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...base,
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', serverAuth: true }, san],
  });
  const ca = await generate([{ name: 'commonName', value: 'Trunkscope Test CA' }], {
    ...base,
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...base,
    ca: signer,
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', serverAuth: true }, san],
  });
  const client = await generate([{ name: 'commonName', value: 'trunk-client' }], {
    ...base,
    ca: signer,
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }],
  });
  return {
    selfSigned: { cert: self.cert, key: self.private },
    ca: { cert: ca.cert, key: ca.private },
    server: { cert: server.cert, key: server.private },
    client: { cert: client.cert, key: client.private },
  };
}
