import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { ensureFfmpeg } from './ffmpeg.ts';
import { logsDir } from './paths.ts';
import { freeUdpPort } from './ports.ts';
import { spawnOwned, type Spawned } from './processes.ts';
import { ensureSipp } from './sip.ts';
import { ensureEspeak } from './speech.ts';

/**
 * A SIP user agent for tests: sipp speaks SIP, and the audio is ours. A caller's audio is an RTP
 * capture (pcap) sipp plays: G.711 A-law in 20 ms packets (livekit-sip 1.0.0 refuses other
 * packet times) with RFC 4733 keypad tones where the script says. A callee's audio arrives at a
 * UDP socket of this process, which decodes what it hears (energy, keypad tones).
 */

/** G.711 A-law at 8 kHz: 160 samples, one byte each, per 20 ms packet. */
const SAMPLES_PER_PACKET = 160;
const PCMA = 8;
/** The payload type both ends agree on for RFC 4733 telephone events (in the SDP of our scenarios). */
export const TELEPHONE_EVENT_PT = 101;
/** A-law's code for silence. */
const ALAW_SILENCE = 0xd5;

export type CallerScript = readonly (
  { readonly silenceMs: number } | { readonly say: string } | { readonly digits: string }
)[];

/** Says `text` with espeak-ng as 8 kHz A-law (ffmpeg resamples and encodes). */
function spokenAlaw(text: string, dir: string): Buffer {
  const wav = path.join(dir, `say-${Date.now()}-${Math.random().toString(36).slice(2)}.wav`);
  const said = spawnSync(ensureEspeak(), ['-s', '150', '-w', wav, text]);
  if (said.status !== 0) throw new Error(`espeak-ng failed: ${String(said.stderr)}`);
  const alaw = spawnSync(ensureFfmpeg(), ['-v', 'error', '-i', wav, '-ar', '8000', '-ac', '1', '-f', 'alaw', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(wav, { force: true });
  if (alaw.status !== 0) throw new Error(`ffmpeg failed: ${String(alaw.stderr)}`);
  return alaw.stdout;
}

const DTMF_CODES = '0123456789*#ABCD';

/** One RTP packet's worth of work: payload type, marker, timestamp, payload, and when to send it (ms). */
type Packet = {
  readonly pt: number;
  readonly marker: boolean;
  readonly ts: number;
  readonly payload: Buffer;
  readonly atMs: number;
};

/** The caller's whole call as RTP packets, 20 ms apart (keypad tones as RFC 4733 events, 100 ms each, 100 ms apart). */
function packetsOf(script: CallerScript, dir: string): Packet[] {
  const packets: Packet[] = [];
  let ts = 0;
  let atMs = 0;
  const audio = (payload: Buffer): void => {
    packets.push({ pt: PCMA, marker: false, ts, payload, atMs });
    ts += SAMPLES_PER_PACKET;
    atMs += 20;
  };
  for (const step of script) {
    if ('silenceMs' in step) {
      for (let t = 0; t < step.silenceMs; t += 20) audio(Buffer.alloc(SAMPLES_PER_PACKET, ALAW_SILENCE));
    } else if ('say' in step) {
      const alaw = spokenAlaw(step.say, dir);
      for (let i = 0; i + SAMPLES_PER_PACKET <= alaw.length; i += SAMPLES_PER_PACKET)
        audio(alaw.subarray(i, i + SAMPLES_PER_PACKET));
    } else {
      for (const digit of step.digits) {
        const code = DTMF_CODES.indexOf(digit.toUpperCase());
        if (code < 0) throw new Error(`not a keypad tone: ${digit}`);
        const start = ts;
        // Five updates over 100 ms, then the end of the event three times (RFC 4733 §2.5.1.4).
        for (let i = 1; i <= 8; i += 1) {
          const end = i > 5;
          const duration = Math.min(i, 5) * SAMPLES_PER_PACKET;
          const payload = Buffer.from([code, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
          packets.push({ pt: TELEPHONE_EVENT_PT, marker: i === 1, ts: start, payload, atMs });
          if (i <= 5) {
            ts += SAMPLES_PER_PACKET;
            atMs += 20;
          }
        }
        for (let t = 0; t < 100; t += 20) audio(Buffer.alloc(SAMPLES_PER_PACKET, ALAW_SILENCE));
      }
    }
  }
  return packets;
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** Writes the packets as a libpcap file of Ethernet/IPv4/UDP frames, which sipp's play_pcap_audio replays in time. */
function writePcap(packets: readonly Packet[], file: string): void {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65_535, 16);
  global.writeUInt32LE(1, 20);
  const parts = [global];
  for (const [seq, p] of packets.entries()) {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = (p.marker ? 0x80 : 0) | p.pt;
    rtp.writeUInt16BE(seq & 0xffff, 2);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(0x7a4d0001, 8);
    const udpLength = 8 + rtp.length + p.payload.length;
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(udpLength, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLength, 2);
    ip.writeUInt16BE(seq & 0xffff, 4);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const ethernet = Buffer.alloc(14);
    ethernet.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([ethernet, ip, udp, rtp, p.payload]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
    record.writeUInt32LE((p.atMs % 1000) * 1000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, frame);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

const SDP_CALLER = [
  'v=0',
  'o=tandem 1 1 IN IP4 127.0.0.1',
  's=tandem test',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio [media_port] RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  `a=rtpmap:${TELEPHONE_EVENT_PT} telephone-event/8000`,
  `a=fmtp:${TELEPHONE_EVENT_PT} 0-16`,
  'a=ptime:20',
  'a=sendrecv',
].join('\n');

/** sipp's caller: INVITE with an A-law + telephone-event offer, plays the capture once answered, hangs up after it. */
function callerScenario(pcap: string, hangUpAfterMs: number, to: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="tandem caller">
  <send retrans="500"><![CDATA[
INVITE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[service]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:${to}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:[service]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SDP_CALLER}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" timeout="30000"/>
  <send><![CDATA[
ACK sip:${to}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[service]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:${to}@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: <sip:[service]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
  <nop><action><exec play_pcap_audio="${pcap}"/></action></nop>
  <pause milliseconds="${hangUpAfterMs}"/>
  <send retrans="500"><![CDATA[
BYE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[service]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:${to}@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: <sip:[service]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" optional="true" timeout="5000"/>
</scenario>
`;
}

export type SipCall = {
  /** sipp's exit: 0 when the call went through its whole script. */
  readonly done: Promise<number>;
  readonly logFile: string;
  stop(): Promise<void>;
};

function runSipp(scenario: string, args: readonly string[], dir: string, name: string): SipCall {
  const sipp = ensureSipp();
  const file = path.join(dir, `${name}.xml`);
  fs.writeFileSync(file, scenario);
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `sipp-${name}-${Date.now()}.log`);
  const proc: Spawned = spawnOwned(sipp, ['-sf', file, '-i', '127.0.0.1', '-nostdin', ...args], logFile);
  const done = new Promise<number>((resolve) => {
    if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
    else proc.child.once('exit', (code) => resolve(code ?? 1));
  });
  return { done, logFile, stop: () => proc.stop() };
}

/**
 * Dials `to` at livekit-sip (127.0.0.1:`sipPort`) from the number `from`, then plays `script`
 * (silence, speech, keypad tones) and hangs up `hangUpAfterMs` after the answer.
 */
export async function dialIn(input: {
  readonly sipPort: number;
  readonly from: string;
  readonly to: string;
  readonly script: CallerScript;
  readonly hangUpAfterMs: number;
  readonly dir: string;
}): Promise<SipCall> {
  const pcap = path.join(input.dir, `caller-${input.from.replace(/\D/g, '')}.pcap`);
  writePcap(packetsOf(input.script, input.dir), pcap);
  const mediaPort = await freeUdpPort();
  return runSipp(
    callerScenario(pcap, input.hangUpAfterMs, input.to),
    [
      `127.0.0.1:${input.sipPort}`,
      '-s',
      input.from,
      '-p',
      String(await freeUdpPort()),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-m',
      '1',
      '-l',
      '1',
    ],
    input.dir,
    'caller',
  );
}

/** What a callee heard: audio energy per second and the keypad tones in order. */
export type Heard = {
  /** Keypad tones, one per RFC 4733 event (its repeated and end packets counted once). */
  readonly digits: () => string;
  /** RMS (0…1) of the A-law audio received so far. */
  readonly rms: () => number;
  readonly packets: () => number;
};

const alawToLinear = (a: number): number => {
  const v = a ^ 0x55;
  const t = (v & 0x0f) << 4;
  const seg = (v & 0x70) >> 4;
  const mag = seg === 0 ? t + 8 : seg === 1 ? t + 0x108 : (t + 0x108) << (seg - 1);
  return v & 0x80 ? mag : -mag;
};

/** A UDP socket that takes a call's RTP: decodes A-law energy and RFC 4733 events. */
async function rtpListener(): Promise<{ port: number; heard: Heard; close(): void }> {
  const socket = dgram.createSocket('udp4');
  const port = await new Promise<number>((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)),
  );
  let digits = '';
  let lastEventTs = -1;
  let sumSquares = 0;
  let samples = 0;
  let packets = 0;
  socket.on('message', (msg) => {
    if (msg.length < 12) return;
    packets += 1;
    const pt = msg.readUInt8(1) & 0x7f;
    const ts = msg.readUInt32BE(4);
    const payload = msg.subarray(12 + 4 * (msg.readUInt8(0) & 0x0f));
    if (pt === TELEPHONE_EVENT_PT && payload.length >= 4) {
      if (ts !== lastEventTs) {
        lastEventTs = ts;
        digits += DTMF_CODES[payload.readUInt8(0)] ?? '?';
      }
    } else if (pt === PCMA) {
      for (const b of payload) {
        const s = alawToLinear(b) / 32768;
        sumSquares += s * s;
        samples += 1;
      }
    }
  });
  return {
    port,
    heard: {
      digits: () => digits,
      rms: () => (samples === 0 ? 0 : Math.sqrt(sumSquares / samples)),
      packets: () => packets,
    },
    close: () => socket.close(),
  };
}

/** sipp's callee: answers one INVITE with an A-law + telephone-event answer whose media goes to `mediaPort`, waits for BYE. */
function calleeScenario(mediaPort: number): string {
  const sdp = SDP_CALLER.replace('[media_port]', String(mediaPort));
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="tandem callee">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

${sdp}
]]></send>
  <recv request="ACK"/>
  <recv request="BYE" timeout="120000"/>
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

export type SipCallee = {
  /** `127.0.0.1:port`, the address a trunk sends its calls to. */
  readonly address: string;
  readonly heard: Heard;
  /** sipp's exit: 0 once it answered a call and the call was hung up. */
  readonly done: Promise<number>;
  readonly logFile: string;
  stop(): Promise<void>;
};

/** A SIP user agent on loopback (on `sipPort`, else a free port) that answers one call and listens to it (a phone, or a meeting's phone bridge). */
export async function answeringAgent(dir: string, sipPort?: number): Promise<SipCallee> {
  const rtp = await rtpListener();
  const port = sipPort ?? (await freeUdpPort());
  const call = runSipp(calleeScenario(rtp.port), ['-p', String(port), '-m', '1'], dir, 'callee');
  return {
    address: `127.0.0.1:${port}`,
    heard: rtp.heard,
    done: call.done,
    logFile: call.logFile,
    async stop() {
      await call.stop();
      rtp.close();
    },
  };
}

/** sipp's `<send>` of a bodiless response to the last request: its Via, From, Call-ID and CSeq (unless given), our To tag. */
const response = (status: string, cseq = '[last_CSeq:]'): string => `  <send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
${cseq}
Content-Length: 0

]]></send>`;

/** sipp refusing one INVITE with `status` (e.g. `404 Not Found`), as a SIP server with no such user does; the caller's ACK ends it. */
function refusingScenario(status: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="tandem refusal">
  <recv request="INVITE"/>
${response(status)}
  <recv request="ACK"/>
</scenario>
`;
}

/**
 * A SIP server on loopback (on `sipPort`) that refuses the one call it receives with `status`
 * (a room connector with no such meeting, say); `done` is 0 once it refused a call and was acknowledged.
 */
export function refusingAgent(dir: string, sipPort: number, status = '404 Not Found'): SipCall {
  return runSipp(refusingScenario(status), ['-p', String(sipPort), '-m', '1'], dir, 'refusal');
}

/**
 * sipp ringing on one INVITE without ever answering it (a room connector nobody picks up): it says
 * 180 Ringing, and when the caller gives up and sends CANCEL, confirms it (200) and ends the INVITE
 * with 487 Request Terminated, whose CSeq is the INVITE's (kept from it). No ACK is awaited:
 * livekit-sip 1.0.0 has closed its INVITE transaction by then and leaves the 487 unanswered.
 */
const RINGING_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="tandem ringing">
  <recv request="INVITE">
    <action>
      <ereg regexp="([0-9]+)" search_in="hdr" header="CSeq:" check_it="true" assign_to="cseqLine,cseq"/>
    </action>
  </recv>
  <Reference variables="cseqLine"/>
${response('180 Ringing')}
  <recv request="CANCEL" timeout="120000"/>
${response('200 OK')}
${response('487 Request Terminated', 'CSeq: [$cseq] INVITE')}
</scenario>
`;

/** A SIP server on loopback (on `sipPort`) that lets the one call it receives ring until the caller gives up; `done` is 0 once it did. */
export function ringingAgent(dir: string, sipPort: number): SipCall {
  return runSipp(RINGING_SCENARIO, ['-p', String(sipPort), '-m', '1'], dir, 'ringing');
}
