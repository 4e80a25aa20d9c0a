/**
 * Scripts of `net run` (bandwidth, pps, latency), run through Cloud Assistant as root.
 *
 * Every test of a phase is scheduled at an absolute time (epoch ms, from the CLI's clock plus a lead that
 * covers Cloud Assistant's delivery): the client scripts and the server's sampling script are sent at
 * once and each waits for its start time, so concurrent clients start together (a barrier on the hosts,
 * not sequential RunCommand calls) and serial ones get consecutive slots. Each test prints when it really
 * started (`t-<label>` frame), so a late start is reported instead of silently skewing the aggregate.
 *
 * Output stays under Cloud Assistant's 24 KB: the full iperf3 JSON is kept on the host and a reduced copy
 * (no per-stream arrays, floats rounded; past a byte budget the interval sums keep only their byte counts and
 * times, and only then are the intervals dropped) is printed; sockperf's
 * summary and the /proc snapshots are about 1 KB each.
 * @internal
 */
import { HOST_SNAPSHOT_COMMAND } from '@ecs-pulse/stress-host/parsers';
import { REMOTE_DIR, frame } from './remote-scripts.js';

const SAFE_IP = /^[0-9a-fA-F:.]{2,45}$/;

function safeIp(ip: string): string {
  if (!SAFE_IP.test(ip)) throw new Error(`unsafe address ${ip}`);
  return ip;
}

const REDUCE_PY = [
  'import json,sys',
  'd=json.load(open(sys.argv[1]))',
  'd.get("end",{}).pop("streams",None)',
  'd.get("start",{}).pop("connected",None)',
  '[i.pop("streams",None) for i in d.get("intervals",[]) if isinstance(i,dict)]',
  'def r(o):',
  ' if isinstance(o,float): return round(o) if abs(o)>=1e6 else round(o,6)',
  ' if isinstance(o,dict): return {k:r(v) for k,v in o.items()}',
  ' if isinstance(o,list): return [r(v) for v in o]',
  ' return o',
  'd=r(d)',
  'B=int(sys.argv[2])',
  's=json.dumps(d,separators=(",",":"))',
  'if len(s)>B:',
  ' K=("start","end","seconds","bytes","bits_per_second","packets","retransmits")',
  ' [i.update(sum={k:v for k,v in i["sum"].items() if k in K or (k=="omitted" and v)}) for i in d.get("intervals",[]) if isinstance(i,dict) and isinstance(i.get("sum"),dict)]',
  ' s=json.dumps(d,separators=(",",":"))',
  'if len(s)>B:',
  ' d.pop("intervals",None);s=json.dumps(d,separators=(",",":"))',
  'print(s)',
].join('\n');

const PRELUDE = `set -u
mkdir -p ${REMOTE_DIR}
ok=0
# wait_until <epoch ns>: sleep until that time on this host's clock.
wait_until() {
  local now left
  now=$(date +%s%N)
  left=$(( $1 - now ))
  if [ "$left" -gt 0 ]; then sleep "$((left / 1000000000)).$(printf '%09d' $((left % 1000000000)))"; fi
}`;

/** The bash `reduce <file> <budget>` function: prints the iperf3 JSON within the byte budget. */
export const REDUCE_FN = `reduce() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '${REDUCE_PY}' "$1" "$2" 2>/dev/null || cat "$1"
  elif [ "$(wc -c < "$1")" -lt "$2" ]; then cat "$1"
  else echo '{"error":"ecs-pulse: the iperf3 JSON is over the output budget and python3 is missing to reduce it; see '"$1"'"}'; fi
}`;

function need(tool: string): string {
  return `if ! command -v ${tool} >/dev/null 2>&1; then echo "ecs-pulse: ${tool} is not installed on this host" >&2; exit 127; fi`;
}

const ns = (epochMs: number): string => `${Math.round(epochMs)}000000`;

/** Options of {@link netServerPrepareScript}. */
export interface NetServerPrepareOptions {
  /** First iperf3 port and how many (one per client). */
  readonly port: number;
  readonly count: number;
  /** sockperf port (UDP and TCP), when latency runs. */
  readonly sockperfPort?: number;
}

/**
 * Make sure the server listens: one iperf3 server per client port (the `iperf3-server@<port>` units of
 * StressHost, else `iperf3 -s -D`) and, for latency, sockperf on UDP and TCP (`sockperf-server@udp/@tcp`,
 * else a detached `sockperf server`).
 */
export function netServerPrepareScript(o: NetServerPrepareOptions): string {
  const sock = o.sockperfPort === undefined
    ? ''
    : `
${need('sockperf')}
sp=${o.sockperfPort}
udp_listening() { ss -lun 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$1\\$"; }
# the StressHost units, else detached servers of our own (nothing may keep this script's output open)
udp_listening "$sp" || systemctl start sockperf-server@udp >/dev/null 2>&1 || { setsid sockperf server -p "$sp" >/dev/null 2>&1 < /dev/null & }
listening "$sp" || systemctl start sockperf-server@tcp >/dev/null 2>&1 || { setsid sockperf server --tcp -p "$sp" >/dev/null 2>&1 < /dev/null & }
if wait_for "udp_listening $sp" && wait_for "listening $sp"; then echo "sockperf servers (UDP, TCP) listening on $sp"; else echo "ecs-pulse: could not start the sockperf servers on port $sp" >&2; rc=1; fi`;
  return `#!/bin/bash
set -u
${need('iperf3')}
listening() { ss -ltn 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$1\\$"; }
# wait_for <command>: up to 5 s, for a server to listen.
wait_for() { local _; for _ in $(seq 1 25); do if eval "$1"; then return 0; fi; sleep 0.2; done; return 1; }
rc=0
ports=$(seq ${o.port} ${o.port + o.count - 1})
for p in $ports; do
  # the StressHost unit, else a daemon of our own
  listening "$p" || systemctl start "iperf3-server@$p" >/dev/null 2>&1 || iperf3 -s -D -p "$p" || rc=1
done
for p in $ports; do
  if wait_for "listening $p"; then echo "iperf3 server listening on $p"; else echo "ecs-pulse: could not start an iperf3 server on port $p" >&2; rc=1; fi
done${sock}
exit $rc
`;
}

/** One test a client runs at its start time. */
export interface ClientStep {
  /** Frame label, e.g. `bw-up`, `pps`, `lat`. */
  readonly label: string;
  /** Start time, epoch ms. */
  readonly startAt: number;
  readonly tool: 'iperf3' | 'sockperf';
  /** Tool arguments (numbers and validated addresses only). */
  readonly args: readonly string[];
}

/**
 * A client's script for one phase: wait for each step's start time, run it with its output in a file
 * on the host, print the start time and the (reduced) result.
 */
export function netClientScript(runId: string, client: string, steps: readonly ClientStep[]): string {
  const tools = [...new Set(steps.map((s) => s.tool))];
  const iperfFrames = steps.filter((s) => s.tool === 'iperf3').length;
  const budget = Math.floor(20_000 / Math.max(1, iperfFrames));
  const body = steps.map((s) => {
    for (const a of s.args) if (!/^[\w.:=-]+$/.test(a)) throw new Error(`unsafe argument ${a}`);
    const file = `${REMOTE_DIR}/net-${runId}-${client}-${s.label}.${s.tool === 'iperf3' ? 'json' : 'txt'}`;
    const payload = s.tool === 'iperf3' ? `reduce "${file}" ${budget}` : `tail -n 40 "${file}"`;
    const redirect = s.tool === 'iperf3' ? `> "${file}" 2> "${file}.err"` : `> "${file}" 2>&1`;
    return `wait_until ${ns(s.startAt)}
${frame(`t-${s.label}`, 'date +%s.%N', 'ok')}
${s.tool} ${s.args.join(' ')} ${redirect}; rc=$?
${frame(s.label, payload, 'rc')}
echo "ecs-pulse: raw output kept on the host at ${file}"`;
  });
  return `#!/bin/bash
${PRELUDE}
${tools.map(need).join('\n')}
${REDUCE_FN}
${body.join('\n')}
`;
}

/** One measurement window on the server. */
export interface ServerWindow {
  readonly label: string;
  readonly startAt: number;
  readonly endAt: number;
}

/**
 * The server's sampling script for one phase: name the interface that holds the server's address, then
 * take a host snapshot (/proc/net/dev, /proc/stat, /proc/meminfo) at the start and end of each window.
 */
export function netServerSampleScript(serverIp: string, windows: readonly ServerWindow[]): string {
  const ip = safeIp(serverIp);
  const body = windows.map((w) => `wait_until ${ns(w.startAt)}
${frame(`snap-${w.label}-start`, HOST_SNAPSHOT_COMMAND, 'ok')}
wait_until ${ns(w.endAt)}
${frame(`snap-${w.label}-end`, HOST_SNAPSHOT_COMMAND, 'ok')}`);
  return `#!/bin/bash
${PRELUDE}
${frame('iface', `ip -o addr show 2>/dev/null | awk -v ip="${ip}" '{split($4, a, "/"); if (a[1] == ip) print $2}' | head -n 1`, 'ok')}
${body.join('\n')}
`;
}
