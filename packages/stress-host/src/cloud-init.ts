import { StressHostError } from './errors.js';

/**
 * The default iperf3 server port (iperf3's own default).
 * @example
 * ```ts
 * const port = props.iperf3Port ?? DEFAULT_IPERF3_PORT; // 5201
 * ```
 */
export const DEFAULT_IPERF3_PORT = 5201;

/**
 * The default sockperf server port (sockperf's own default), served for UDP and TCP.
 * @example
 * ```ts
 * const port = props.sockperfPort ?? DEFAULT_SOCKPERF_PORT; // 11111
 * ```
 */
export const DEFAULT_SOCKPERF_PORT = 11111;

/**
 * Where the user-data script writes its readiness marker (tool versions, one `key=value` a line).
 * @example
 * ```ts
 * // with Cloud Assistant: succeed only once the host is ready
 * const command = `cat ${READY_MARKER_PATH}`;
 * ```
 */
export const READY_MARKER_PATH = '/var/lib/ecs-pulse/stress-host.ready';

/**
 * Where the user-data script appends its log.
 * @example
 * ```ts
 * const command = `tail -n 50 ${CLOUD_INIT_LOG_PATH}`;
 * ```
 */
export const CLOUD_INIT_LOG_PATH = '/var/log/ecs-pulse-stress-host.log';

/**
 * The largest script `renderCloudInit` produces (bytes, before Base64): ECS keeps user data small.
 * @example
 * ```ts
 * if (Buffer.byteLength(extra) > MAX_USER_DATA_BYTES / 2) console.warn('extraScript is large');
 * ```
 */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/**
 * Options of {@link renderCloudInit}.
 *
 * @example
 * ```ts
 * const options: CloudInitOptions = { iperf3Port: 5201, iperf3Servers: 2 };
 * ```
 */
export interface CloudInitOptions {
  /**
   * TCP/UDP port of the first iperf3 server.
   * @default 5201
   */
  readonly iperf3Port?: number;
  /**
   * How many iperf3 servers to run, on consecutive ports from `iperf3Port`. iperf3 serves one test at a
   * time, so give each concurrent client its own server.
   * @default 1
   */
  readonly iperf3Servers?: number;
  /**
   * Whether to start the iperf3 servers at boot. When false the tools are installed and the systemd unit
   * is written, but not enabled.
   * @default true
   */
  readonly startIperf3Servers?: boolean;
  /**
   * Port of the sockperf servers (one for UDP, one for TCP, `sockperf-server@udp` / `@tcp`), started with the
   * iperf3 servers. Must lie outside the iperf3 port range.
   * @default 11111
   */
  readonly sockperfPort?: number;
  /**
   * Bash appended at the end of the script, run as root after the tools are installed. It must keep the
   * script shellcheck-clean; it is not checked here.
   * @default - nothing appended
   */
  readonly extraScript?: string;
}

function validPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Validate and default the options; throws a {@link StressHostError} listing every problem.
 * @internal
 */
export function resolveCloudInitOptions(options: CloudInitOptions): Required<Omit<CloudInitOptions, 'extraScript'>> & {
  readonly extraScript: string;
} {
  const port = options.iperf3Port ?? DEFAULT_IPERF3_PORT;
  const servers = options.iperf3Servers ?? 1;
  const sockperfPort = options.sockperfPort ?? DEFAULT_SOCKPERF_PORT;
  const issues: string[] = [];
  if (!validPort(sockperfPort) || sockperfPort === 22) {
    issues.push(`sockperfPort: ${String(sockperfPort)} is not a usable port; use an integer from 1 to 65535 other than 22 (default 11111).`);
  } else if (sockperfPort >= port && sockperfPort < port + servers) {
    issues.push(`sockperfPort: ${sockperfPort} lies in the iperf3 port range ${port}..${port + servers - 1}; pick another port (default 11111).`);
  }
  if (!validPort(port)) issues.push(`iperf3Port: ${String(port)} is not a port; use an integer from 1 to 65535 (default 5201).`);
  if (!Number.isInteger(servers) || servers < 1 || servers > 64) {
    issues.push(`iperf3Servers: ${String(servers)} is out of range; use an integer from 1 to 64 (default 1).`);
  } else if (validPort(port) && port + servers - 1 > 65535) {
    issues.push(`iperf3Servers: ports ${port}..${port + servers - 1} pass 65535; lower iperf3Port or iperf3Servers.`);
  }
  if (port === 22) issues.push('iperf3Port: 22 is the SSH port; pick another port (default 5201).');
  if (options.extraScript !== undefined && typeof options.extraScript !== 'string') {
    issues.push('extraScript: must be a string of bash.');
  }
  if (issues.length > 0) {
    throw new StressHostError('INVALID_CLOUD_INIT_OPTIONS', `Invalid cloud-init options:\n  ${issues.join('\n  ')}`, {
      issues,
    });
  }
  return {
    iperf3Port: port,
    iperf3Servers: servers,
    startIperf3Servers: options.startIperf3Servers ?? true,
    sockperfPort,
    extraScript: options.extraScript ?? '',
  };
}

/** The end of every server unit the hosts run (iperf3, sockperf): restart policy, sandboxing, install target. */
const SERVER_UNIT_TAIL = `Restart=always
RestartSec=2
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
UNIT`;

/**
 * Render the user-data script (bash) of a stress host. It:
 *
 * 1. installs iperf3, stress-ng, sockperf and sysstat with apt-get (Ubuntu/Debian; waits for the dpkg lock and retries, since
 *    unattended-upgrades and cloud-init's own apt runs race with user data on first boot), or with dnf/yum
 *    (Alibaba Cloud Linux 3 / RHEL family, trying EPEL when the base repositories lack a package);
 * 2. writes a systemd template unit `iperf3-server@.service` and enables one instance per port
 *    (`iperf3-server@5201`, …), running `iperf3 --server` as an unprivileged dynamic user, restarted on exit;
 * 3. writes a template unit `sockperf-server@.service` and enables `sockperf-server@udp` and `@tcp` on
 *    `sockperfPort` (sockperf is best effort: where no repository has it, the host is still ready without it,
 *    and the marker says `sockperf=missing`);
 * 4. writes {@link READY_MARKER_PATH} with the tool versions, so a caller can poll for readiness with
 *    Cloud Assistant (`cat /var/lib/ecs-pulse/stress-host.ready`).
 *
 * The script passes `shellcheck` and never calls `cloud-init status --wait` (that would wait for itself).
 *
 * @param options - ports, server count, extra bash
 * @returns the script text, starting with `#!/bin/bash`
 * @throws {@link StressHostError} with code `INVALID_CLOUD_INIT_OPTIONS` for a bad port or count, or a
 *   script over {@link MAX_USER_DATA_BYTES}
 *
 * @example
 * ```ts
 * import { renderCloudInit } from '@ecs-pulse/stress-host';
 *
 * const userData = renderCloudInit({ iperf3Port: 5201, iperf3Servers: 2 });
 * new Instance(stack, 'host', { ...config, userData: Buffer.from(userData).toString('base64') });
 * ```
 */
export function renderCloudInit(options: CloudInitOptions = {}): string {
  const o = resolveCloudInitOptions(options);
  const lastPort = o.iperf3Port + o.iperf3Servers - 1;
  const script = `#!/bin/bash
# ecs-pulse stress host: installs iperf3, stress-ng, sockperf and sysstat; runs iperf3 servers on ports
# ${o.iperf3Port}-${lastPort} and sockperf servers (UDP and TCP) on port ${o.sockperfPort}.
# Rendered by @ecs-pulse/stress-host renderCloudInit(). Log: ${CLOUD_INIT_LOG_PATH}
set -euo pipefail

readonly IPERF3_FIRST_PORT=${o.iperf3Port}
readonly IPERF3_SERVERS=${o.iperf3Servers}
readonly START_IPERF3=${o.startIperf3Servers ? 'yes' : 'no'}
readonly SOCKPERF_PORT=${o.sockperfPort}
readonly READY_MARKER=${READY_MARKER_PATH}
readonly LOG_FILE=${CLOUD_INIT_LOG_PATH}

exec > >(tee -a "$LOG_FILE") 2>&1
echo "[ecs-pulse] user data started at $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# retry <attempts> <delay-seconds> <command...>: run a command until it succeeds.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if [ "$n" -ge "$attempts" ]; then
      echo "[ecs-pulse] giving up after $n attempts: $*" >&2
      return 1
    fi
    echo "[ecs-pulse] attempt $n failed, retrying in \${delay}s: $*" >&2
    n=$((n + 1))
    sleep "$delay"
  done
}

install_with_apt() {
  export DEBIAN_FRONTEND=noninteractive
  # The iperf3 package asks whether to start its own daemon on 5201; we run our own unit instead.
  echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections
  # DPkg::Lock::Timeout waits for unattended-upgrades and cloud-init's own apt runs (apt >= 1.9.11).
  retry 10 15 apt-get -o DPkg::Lock::Timeout=300 -q update
  retry 10 15 apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends iperf3 stress-ng sysstat
  # sockperf is in Debian main and Ubuntu universe; a host without it still serves iperf3 and stress-ng.
  retry 3 15 apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends sockperf ||
    echo "[ecs-pulse] sockperf is not available from this image's repositories; latency tests will not run" >&2
}

install_with_dnf() {
  local pm=$1
  if ! retry 5 15 "$pm" -y install iperf3 stress-ng; then
    echo "[ecs-pulse] trying EPEL for stress-ng" >&2
    retry 5 15 "$pm" -y install epel-release || true
    retry 5 15 "$pm" -y install iperf3 stress-ng
  fi
  retry 3 15 "$pm" -y install sysstat || echo "[ecs-pulse] sysstat could not be installed" >&2
  retry 3 15 "$pm" -y install sockperf ||
    echo "[ecs-pulse] sockperf is not available from this image's repositories; latency tests will not run" >&2
}

if command -v apt-get >/dev/null 2>&1; then
  install_with_apt
elif command -v dnf >/dev/null 2>&1; then
  install_with_dnf dnf
elif command -v yum >/dev/null 2>&1; then
  install_with_dnf yum
else
  echo "[ecs-pulse] no apt-get, dnf or yum on this image; use Ubuntu LTS or Alibaba Cloud Linux" >&2
  exit 1
fi

IPERF3_BIN=$(command -v iperf3)
readonly IPERF3_BIN

# A packaged iperf3 service would hold port 5201: keep only ours.
if systemctl list-unit-files iperf3.service >/dev/null 2>&1; then
  systemctl disable --now iperf3.service >/dev/null 2>&1 || true
fi

cat > /etc/systemd/system/iperf3-server@.service <<UNIT
[Unit]
Description=iperf3 server on port %i (ecs-pulse stress host)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=$IPERF3_BIN --server --port %i
${SERVER_UNIT_TAIL}

SOCKPERF_BIN=$(command -v sockperf || true)
readonly SOCKPERF_BIN
if [ -n "$SOCKPERF_BIN" ]; then
  # %i is udp or tcp; sockperf serves UDP by default, TCP with --tcp.
  cat > /etc/systemd/system/sockperf-server@.service <<UNIT
[Unit]
Description=sockperf server (%i) on port $SOCKPERF_PORT (ecs-pulse stress host)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/bin/sh -c 'if [ "%i" = tcp ]; then exec $SOCKPERF_BIN server --tcp -p $SOCKPERF_PORT; else exec $SOCKPERF_BIN server -p $SOCKPERF_PORT; fi'
${SERVER_UNIT_TAIL}
fi

systemctl daemon-reload
if [ "$START_IPERF3" = yes ]; then
  for ((i = 0; i < IPERF3_SERVERS; i++)); do
    systemctl enable --now "iperf3-server@$((IPERF3_FIRST_PORT + i)).service"
  done
  if [ -n "$SOCKPERF_BIN" ]; then
    systemctl enable --now sockperf-server@udp.service sockperf-server@tcp.service
  fi
fi

mkdir -p "$(dirname "$READY_MARKER")"
{
  echo "iperf3=$("$IPERF3_BIN" --version 2>&1 | head -n 1)"
  echo "stress-ng=$(stress-ng --version 2>&1 | head -n 1)"
  if [ -n "$SOCKPERF_BIN" ]; then echo "sockperf=$("$SOCKPERF_BIN" --version 2>&1 | head -n 1)"; else echo "sockperf=missing"; fi
  echo "sockperf_port=$SOCKPERF_PORT"
  echo "iperf3_ports=$IPERF3_FIRST_PORT-$((IPERF3_FIRST_PORT + IPERF3_SERVERS - 1))"
  echo "ready_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$READY_MARKER"
echo "[ecs-pulse] ready: $READY_MARKER"
${o.extraScript === '' ? '' : `\n# --- extraScript ---\n${o.extraScript.trimEnd()}\n`}`;
  const bytes = Buffer.byteLength(script, 'utf8');
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new StressHostError(
      'INVALID_CLOUD_INIT_OPTIONS',
      `The user-data script is ${bytes} bytes, over the ${MAX_USER_DATA_BYTES}-byte limit: shorten extraScript, ` +
        'or download larger scripts from the host (for example from OSS) instead of inlining them.',
      { issues: [`extraScript: the script would be ${bytes} bytes (limit ${MAX_USER_DATA_BYTES}).`] },
    );
  }
  return script;
}
