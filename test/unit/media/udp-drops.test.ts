import { describe, expect, it } from 'vitest';
import { dropsInTable, udpDrops } from '../../../src/main/media/transport/udp-drops.ts';

const TABLE = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
  '14890: 0100007F:4E20 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 58475 2 0000000083ce39db 17',
  '14891: 00000000:4E21 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 58476 2 0000000083ce39dc 3',
  '',
].join('\n');

describe('udpDrops', () => {
  it('reads the drops column of the socket bound to the port', () => {
    expect(dropsInTable(TABLE, 20000)).toBe(17);
    expect(dropsInTable(TABLE, 20001)).toBe(3);
    expect(dropsInTable(TABLE, 5060)).toBe(0);
  });
  it('undefined where the tables do not exist', () => {
    expect(udpDrops(20000, ['/nonexistent/udp'])).toBeUndefined();
  });
});
