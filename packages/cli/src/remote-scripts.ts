/**
 * Shell scripts the CLI runs on the hosts through Cloud Assistant (RunShellScript, as root).
 *
 * Output protocol: each result is framed by marker lines so several results (and diagnostics) can
 * share one invocation output:
 *
 * ```
 * @@ECS-PULSE-BEGIN <label>@@
 * ...payload...
 * @@ECS-PULSE-END <label> rc=<exit code>@@
 * ```
 *
 * Cloud Assistant keeps only the first 24 KB of output. iperf3 `-J` grows by about 0.6 KB per second
 * per stream, so the full JSON is written to a file on the host (kept for later) and a reduced copy is
 * printed: `python3` (present on the Alibaba Cloud Ubuntu/Debian/Alinux images) drops the per-stream
 * arrays (`intervals[].streams`, `end.streams`) and, if still over 20 KB, the intervals. No jq needed.
 * @internal
 */

import { HOST_SNAPSHOT_COMMAND } from '@ecs-pulse/stress-host/parsers';

/** Where results are kept on the hosts. */
export const REMOTE_DIR = '/var/tmp/ecs-pulse';

const SAFE_IP = /^[0-9a-fA-F:.]{2,45}$/;

/** Frame markers. */
export const BEGIN = (label: string) => `@@ECS-PULSE-BEGIN ${label}@@`;

const REDUCE_PY = [
  'import json,sys',
  'd=json.load(open(sys.argv[1]))',
  'd.get("end",{}).pop("streams",None)',
  '[i.pop("streams",None) for i in d.get("intervals",[]) if isinstance(i,dict)]',
  's=json.dumps(d,separators=(",",":"))',
  'if len(s)>20000:',
  ' d.pop("intervals",None);s=json.dumps(d,separators=(",",":"))',
  'print(s)',
].join('\n');

/** A framed result: begin marker, the payload command, end marker with the exit code in `rcVar`. */
export function frame(label: string, payloadCommand: string, rcVar: string): string {
  return [`echo '${BEGIN(label)}'`, payloadCommand, `echo "@@ECS-PULSE-END ${label} rc=$${rcVar}@@"`].join('\n');
}

/** Start the iperf3 server(s) on consecutive ports if not already listening. */
export function iperf3ServerScript(port: number, count: number): string {
  return `#!/bin/bash
set -u
if ! command -v iperf3 >/dev/null 2>&1; then echo "ecs-pulse: iperf3 is not installed on this host" >&2; exit 127; fi
listening() { ss -ltn 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$1\$"; }
rc=0
for p in $(seq ${port} $((${port} + ${count} - 1))); do
  if listening "$p"; then echo "iperf3 server already listening on $p"; continue; fi
  systemctl start "iperf3-server@$p" >/dev/null 2>&1 || systemctl start iperf3 >/dev/null 2>&1 || true
  sleep 1
  if ! listening "$p"; then iperf3 -s -D -p "$p" || rc=1; sleep 1; fi
  if listening "$p"; then echo "iperf3 server started on $p"; else echo "ecs-pulse: could not start an iperf3 server on port $p" >&2; rc=1; fi
done
exit $rc
`;
}

/** Options of {@link iperf3ClientScript}. */
export interface Iperf3ClientOptions {
  readonly serverIp: string;
  readonly port: number;
  readonly duration: number;
  readonly parallel: number;
  readonly directions: ReadonlyArray<'up' | 'down'>;
  readonly udp: boolean;
  readonly bandwidth?: string;
  readonly runId: string;
}

/** Run the iperf3 client once per direction (`down` = `-R`), each JSON written to a file and printed reduced. */
export function iperf3ClientScript(o: Iperf3ClientOptions): string {
  if (!SAFE_IP.test(o.serverIp)) throw new Error(`unsafe server address ${o.serverIp}`);
  const runs = o.directions.map((dir) => {
    const file = `${REMOTE_DIR}/net-${o.runId}-${dir}.json`;
    const args = [
      '-c', o.serverIp, '-p', String(o.port), '-t', String(o.duration), '-P', String(o.parallel), '-J',
      ...(dir === 'down' ? ['-R'] : []),
      ...(o.udp ? ['-u', '-b', o.bandwidth ?? '1G'] : o.bandwidth ? ['-b', o.bandwidth] : []),
    ].join(' ');
    return `iperf3 ${args} > "${file}" 2> "${file}.err"; rc_${dir}=$?
${frame(`iperf3-${dir}`, `reduce "${file}"`, `rc_${dir}`)}
echo "ecs-pulse: raw JSON kept on the host at ${file}"`;
  });
  return `#!/bin/bash
set -u
if ! command -v iperf3 >/dev/null 2>&1; then echo "ecs-pulse: iperf3 is not installed on this host" >&2; exit 127; fi
mkdir -p ${REMOTE_DIR}
reduce() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '${REDUCE_PY}' "$1" 2>/dev/null || cat "$1"
  elif [ "$(wc -c < "$1")" -lt 23000 ]; then cat "$1"
  else echo '{"error":"ecs-pulse: iperf3 JSON is over 24 KB and python3 is missing to reduce it; see '"$1"'"}'; fi
}
${runs.join('\n')}
`;
}

/** Options of {@link stressNgScript}. */
export interface StressNgOptions {
  /** Stressor → instance count (`cpu` → 2 gives `--cpu 2`). */
  readonly stressors: ReadonlyArray<readonly [string, number]>;
  readonly vmBytes?: string;
  readonly timeoutSeconds: number;
  readonly runId: string;
}

/**
 * Run stress-ng with --yaml into a file on the host and print it back (small: a few KB), with host
 * snapshots (/proc/stat, /proc/meminfo) before, halfway through and after the run.
 */
export function stressNgScript(o: StressNgOptions): string {
  const file = `${REMOTE_DIR}/stress-${o.runId}.yaml`;
  const args = [
    ...o.stressors.flatMap(([name, n]) => [`--${name}`, String(n)]),
    ...(o.vmBytes ? ['--vm-bytes', o.vmBytes] : []),
    '--timeout', `${o.timeoutSeconds}s`, '--metrics-brief', '--times', '--yaml', `"${file}"`,
  ].join(' ');
  return `#!/bin/bash
set -u
if ! command -v stress-ng >/dev/null 2>&1; then echo "ecs-pulse: stress-ng is not installed on this host" >&2; exit 127; fi
mkdir -p ${REMOTE_DIR}
ok=0
${HOST_SNAPSHOT_COMMAND} > "${file}.snap-start" 2>/dev/null
{ sleep ${Math.max(1, Math.floor(o.timeoutSeconds / 2))}; ${HOST_SNAPSHOT_COMMAND} > "${file}.snap-mid" 2>/dev/null; } > /dev/null 2>&1 < /dev/null &
stress-ng ${args} > "${file}.log" 2>&1; rc=$?
${HOST_SNAPSHOT_COMMAND} > "${file}.snap-end" 2>/dev/null
wait
${frame('snap-start', `cat "${file}.snap-start"`, 'ok')}
${frame('snap-mid', `cat "${file}.snap-mid" 2>/dev/null`, 'ok')}
${frame('snap-end', `cat "${file}.snap-end"`, 'ok')}
${frame('stress-ng', `cat "${file}" 2>/dev/null`, 'rc')}
${frame('stress-ng-log', `tail -n 15 "${file}.log"`, 'rc')}
echo "ecs-pulse: YAML kept on the host at ${file}"
exit $rc
`;
}

/** One framed result found in an invocation output. */
export interface Frame {
  readonly label: string;
  readonly payload: string;
  readonly rc: number;
}

/** Extract the framed results from an invocation output. */
export function readFrames(output: string): Frame[] {
  const frames: Frame[] = [];
  const re = /@@ECS-PULSE-BEGIN ([\w-]+)@@\n([\s\S]*?)\n?@@ECS-PULSE-END \1 rc=(-?\d+)@@/g;
  for (let m = re.exec(output); m !== null; m = re.exec(output)) {
    frames.push({ label: m[1] ?? '', payload: m[2] ?? '', rc: Number(m[3]) });
  }
  return frames;
}
