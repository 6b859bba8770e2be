/** Small helpers shared by the report builders. */
import type { Endpoint } from '../../sip/transport/types.ts';

export function endpointText(ep: Endpoint): string {
  return ep.address.includes(':') ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}

