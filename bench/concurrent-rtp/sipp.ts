/**
 * SIPp pieces of the concurrent-rtp bench: the scenario files it writes to its work directory,
 * the µ-law tone file SIPp's rtp_stream plays, and starting/stopping SIPp by PID.
 *
 * - uac-rtp-stream.xml: SIPp's own caller; after the ACK it plays the tone file in a loop with
 *   `rtp_stream` for HOLD ms, then sends BYE (setup c).
 * - uac-for-generator.xml: SIPp as the SIP side of our load generator (setup a): the SDP names
 *   the generator session's port (field0 of an injection file) and the 200 OK's m= port is
 *   logged, so the generator learns where the agent wants RTP; then it waits for the agent's BYE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeUlaw } from '../../src/main/media/codec/g711.ts';
import { ToneSource } from '../../src/main/media/source/tone.ts';

const OFFER = (port: string, mux: boolean) => `v=0
o=sipp 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio ${port} RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=ptime:20${mux ? '\na=rtcp-mux' : ''}
a=sendrecv
`;

const INVITE = (sdp: string) => `<send retrans="500"><![CDATA[

INVITE sip:echo@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]T[call_number]
To: <sip:echo@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${sdp}
]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>`;

const ACK = `<send><![CDATA[

ACK sip:echo@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]T[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>`;

/**
 * SIPp 3.6.1 sends the rtp_stream of every call from its one media socket (-mp), whatever the
 * SDP keyword, and never reads that socket: what comes back is dropped there.
 */
export function uacRtpStreamXml(toneFile: string, holdMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="concurrent-rtp: SIPp UAC playing rtp_stream">
${INVITE(OFFER('[media_port]', false))}
<recv response="200" rtd="true"/>
${ACK}
<nop><action><exec rtp_stream="${toneFile},-1,0"/></action></nop>
<pause milliseconds="${holdMs}"/>
<send retrans="500"><![CDATA[

BYE sip:echo@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]T[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" crlf="true"/>
</scenario>
`;
}

export function uacForGeneratorXml(): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="concurrent-rtp: SIP for the load generator">
${INVITE(OFFER('[field0]', true))}
<recv response="200" rtd="true">
  <action>
    <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m,port"/>
    <log message="MAP [field0] [$port] ([$m])"/>
  </action>
</recv>
${ACK}
<recv request="BYE" timeout="600000"/>
<send><![CDATA[

SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
`;
}

/** Ten seconds of the 1004 Hz test tone as raw µ-law (rtp_stream sends the file's bytes). */
export function writeToneRaw(path: string): void {
  const tone = new ToneSource({ sampleRate: 8000 });
  writeFileSync(path, encodeUlaw(tone.next(80000)));
}

export interface Proc {
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM by PID, then SIGKILL after `graceMs` if still running. */
  stop(graceMs?: number): Promise<void>;
}

/** Start a process with stdout/stderr to files (no pipes to fill up). */
export function startProc(cmd: string, args: string[], dir: string, name: string): Proc {
  const out = openSync(join(dir, `${name}.out`), 'w');
  const err = openSync(join(dir, `${name}.err`), 'w');
  const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    pid: child.pid!,
    child,
    exited,
    async stop(graceMs = 3000) {
      if (done) return;
      try {
        process.kill(child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        if (!done) {
          try {
            process.kill(child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }, graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** SIPp UAS whose only job is `-rtp_echo` on `mediaPort` (and mediaPort + 2). */
export function sippEcho(dir: string, sipPort: number, mediaPort: number, name: string): Proc {
  return startProc(
    'sipp',
    [
      '-sn',
      'uas',
      '-i',
      '127.0.0.1',
      '-p',
      String(sipPort),
      '-cp',
      String(sipPort + 20),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-rtp_echo',
      '-nostdin',
      '-timeout',
      '900s',
      '-screen_file',
      join(dir, `${name}-screen.log`),
    ],
    dir,
    name,
  );
}

export interface SippScreen {
  /** s since SIPp started ("Total-time"). */
  atSec: number;
  /** Calls in progress. */
  calls: number;
  /** RTP packets sent by rtp_stream ("Total RTP pckts sent"). */
  rtpSent: number;
  /** RTP packets echoed by -rtp_echo ("Total echo RTP pckts 1st stream"). */
  echoed: number;
}

/**
 * SIPp's counters now: SIGUSR2 makes SIPp dump its screens to its `-screen_file`; the scenario
 * screen holds the counters above.
 */
export async function sippScreen(p: Proc, file: string): Promise<SippScreen | undefined> {
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  try {
    process.kill(p.pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(file) || statSync(file).mtimeMs === before) continue;
    const text = readFileSync(file, 'latin1');
    const t = /(\d+\.\d+) s\s+\d+\s/.exec(text);
    const c = /(\d+) calls/.exec(text);
    if (!t || !c || !text.includes('Messages')) continue;
    const e = /(\d+) Total echo RTP pckts 1st stream/.exec(text);
    // UAC: one line for pcap play, one for rtp_stream; take the larger.
    const sent = [...text.matchAll(/(\d+) Total RTP pckts sent/g)].map((m) => Number(m[1]));
    return {
      atSec: Number(t[1]),
      calls: Number(c[1]),
      rtpSent: Math.max(0, ...sent),
      echoed: Number(e?.[1] ?? 0),
    };
  }
  return undefined;
}
