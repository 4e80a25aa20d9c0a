import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { READY_MARKER_PATH, StressHostError, renderCloudInit } from '../../src/index.js';
import { needTools } from '@ecs-pulse/test-tools';

const shellcheck = needTools(['shellcheck']);
const systemdAnalyze = needTools(['systemd-analyze']);

function runShellcheck(script: string): { code: number | null; output: string } {
  const r = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', '-'], { input: script, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

shellcheck.describe('Function: renderCloudInit passes shellcheck', () => {
  it.each([
    ['defaults', {}],
    ['three servers on 6000', { iperf3Port: 6000, iperf3Servers: 3 }],
    ['servers not started', { startIperf3Servers: false }],
    ['with extraScript', { extraScript: 'sysctl -w net.core.rmem_max=134217728\n' }],
  ])('%s', (_name, options) => {
    const r = runShellcheck(renderCloudInit(options));
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('would catch a real problem (the check is live)', () => {
    const r = runShellcheck(`${renderCloudInit()}\necho $UNQUOTED_VAR\n`);
    expect(r.code).toBe(1);
    expect(r.output).toContain('SC2086');
  });
});

describe('Function: renderCloudInit content', () => {
  it('installs with apt (lock timeout + retries, debconf preseed) or dnf/yum', () => {
    const s = renderCloudInit();
    expect(s.startsWith('#!/bin/bash\n')).toBe(true);
    expect(s).toContain('set -euo pipefail');
    expect(s).toContain('retry 10 15 apt-get -o DPkg::Lock::Timeout=300 -q update');
    expect(s).toContain('apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends iperf3 stress-ng sysstat\n');
    expect(s).toContain('apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends sockperf ||');
    expect(s).toContain("echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections");
    expect(s).toContain('install_with_dnf dnf');
    expect(s).toContain('install_with_dnf yum');
    expect(s).not.toContain('cloud-init status --wait');
  });

  it('runs iperf3 --server as a systemd template unit on the default port 5201', () => {
    const s = renderCloudInit();
    expect(s).toContain('cat > /etc/systemd/system/iperf3-server@.service <<UNIT');
    expect(s).toContain('ExecStart=$IPERF3_BIN --server --port %i');
    expect(s).toContain('Restart=always');
    expect(s).toContain('readonly IPERF3_FIRST_PORT=5201');
    expect(s).toContain('readonly IPERF3_SERVERS=1');
    expect(s).toContain('systemctl enable --now "iperf3-server@$((IPERF3_FIRST_PORT + i)).service"');
    expect(s).toContain(`readonly READY_MARKER=${READY_MARKER_PATH}`);
  });

  it('renders ports, server count, start flag and extraScript', () => {
    const s = renderCloudInit({ iperf3Port: 7000, iperf3Servers: 4, startIperf3Servers: false, extraScript: 'echo extra\n\n' });
    expect(s).toContain('readonly IPERF3_FIRST_PORT=7000');
    expect(s).toContain('readonly IPERF3_SERVERS=4');
    expect(s).toContain('readonly START_IPERF3=no');
    expect(s).toContain('ports\n# 7000-7003');
    expect(renderCloudInit({ sockperfPort: 12000 })).toContain('readonly SOCKPERF_PORT=12000\n');
    expect(s.endsWith('# --- extraScript ---\necho extra\n')).toBe(true);
  });

  it.each([
    [{ iperf3Port: 0 }, 'iperf3Port: 0 is not a port; use an integer from 1 to 65535'],
    [{ iperf3Port: 70000 }, 'iperf3Port: 70000 is not a port'],
    [{ iperf3Port: 5201.5 }, 'iperf3Port: 5201.5 is not a port'],
    [{ iperf3Port: 22 }, 'iperf3Port: 22 is the SSH port'],
    [{ iperf3Servers: 0 }, 'iperf3Servers: 0 is out of range; use an integer from 1 to 64'],
    [{ iperf3Port: 65535, iperf3Servers: 2 }, 'iperf3Servers: ports 65535..65536 pass 65535'],
    [{ sockperfPort: 5202, iperf3Servers: 3 }, 'sockperfPort: 5202 lies in the iperf3 port range 5201..5203'],
    [{ sockperfPort: 22 }, 'sockperfPort: 22 is not a usable port'],
  ])('rejects %j', (options, text) => {
    expect(() => renderCloudInit(options)).toThrow(
      expect.objectContaining({ name: 'StressHostError', code: 'INVALID_CLOUD_INIT_OPTIONS', message: expect.stringContaining(text) }),
    );
  });

  it('rejects a script over 16 KB', () => {
    let caught: unknown;
    try {
      renderCloudInit({ extraScript: `# ${'x'.repeat(17_000)}` });
    } catch (err) {
      caught = err;
    }
    expect(StressHostError.isStressHostError(caught)).toBe(true);
    expect((caught as StressHostError).message).toMatch(/The user-data script is \d+ bytes, over the 16384-byte limit/);
  });
});

/**
 * Runs the rendered script for real under bash, in a sandbox: the absolute paths are moved into a temp dir
 * and the package manager, systemctl and the tools are stubs that log their arguments.
 */
describe('Function: renderCloudInit runs under bash (sandboxed)', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stub = (bin: string, body: string): void => {
    const path = join(dir, 'bin', bin);
    writeFileSync(path, `#!/bin/bash\necho "${bin} $*" >> "${dir}/calls.log"\n${body}\n`);
    chmodSync(path, 0o755);
  };

  function sandbox(pkgManager: 'apt-get' | 'dnf' | 'none', options = {}): { code: number | null; stderr: string; calls: string[] } {
    dir = mkdtempSync(join(tmpdir(), 'stress-host-ud-'));
    mkdirSync(join(dir, 'bin'));
    for (const tool of ['bash', 'tee', 'date', 'head', 'dirname', 'mkdir', 'sleep', 'cat', 'touch']) {
      const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
      if (real) symlinkSync(real, join(dir, 'bin', tool));
    }
    // apt-get fails once as if the dpkg lock were held, then succeeds
    if (pkgManager === 'apt-get') {
      stub('apt-get', `if [ ! -f "${dir}/apt-tried" ]; then touch "${dir}/apt-tried"; echo "E: Could not get lock" >&2; exit 100; fi`);
      stub('debconf-set-selections', `cat >> "${dir}/debconf.txt"`);
    }
    // dnf lacks stress-ng until EPEL is installed
    if (pkgManager === 'dnf') {
      stub('dnf', `if [ "$3" = epel-release ]; then touch "${dir}/epel"; exit 0; fi; [ -f "${dir}/epel" ]`);
    }
    if (pkgManager !== 'none') {
      stub('iperf3', 'echo "iperf 3.12 (cJSON 1.7.15)"');
      stub('stress-ng', 'echo "stress-ng, version 0.15.06"');
    }
    if (pkgManager === 'apt-get') stub('sockperf', 'echo "sockperf, version 3.7-no.git"');
    stub('systemctl', '[ "$1" != list-unit-files ] || exit 1');
    const script = renderCloudInit(options)
      .replaceAll('/etc/systemd/system/', `${dir}/`)
      .replaceAll('/var/lib/ecs-pulse/', `${dir}/state/`)
      .replaceAll('/var/log/', `${dir}/`)
      .replace(/retry (\d+) \d+ /g, 'retry $1 0 ');
    writeFileSync(join(dir, 'user-data.sh'), script);
    const r = spawnSync(join(dir, 'bin', 'bash'), ['--norc', '--noprofile', join(dir, 'user-data.sh')], {
      env: { PATH: join(dir, 'bin'), HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 20_000,
    });
    const calls = existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : [];
    return { code: r.status, stderr: `${r.stdout}${r.stderr}`, calls };
  }

  it('Ubuntu: retries apt through a held lock, enables one unit per port, writes the ready marker', () => {
    const r = sandbox('apt-get', { iperf3Servers: 2, iperf3Port: 5301 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('apt-get'))).toEqual([
      'apt-get -o DPkg::Lock::Timeout=300 -q update',
      'apt-get -o DPkg::Lock::Timeout=300 -q update',
      'apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends iperf3 stress-ng sysstat',
      'apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends sockperf',
    ]);
    expect(readFileSync(join(dir, 'debconf.txt'), 'utf8')).toBe('iperf3 iperf3/start_daemon boolean false\n');
    expect(r.calls.filter((c) => c.startsWith('systemctl'))).toEqual([
      'systemctl list-unit-files iperf3.service',
      'systemctl daemon-reload',
      'systemctl enable --now iperf3-server@5301.service',
      'systemctl enable --now iperf3-server@5302.service',
      'systemctl enable --now sockperf-server@udp.service sockperf-server@tcp.service',
    ]);
    const sockperfUnit = readFileSync(join(dir, 'sockperf-server@.service'), 'utf8');
    expect(sockperfUnit).toContain(`exec ${join(dir, 'bin', 'sockperf')} server --tcp -p 11111; else exec ${join(dir, 'bin', 'sockperf')} server -p 11111;`);
    const unit = readFileSync(join(dir, 'iperf3-server@.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${join(dir, 'bin', 'iperf3')} --server --port %i\n`);
    expect(unit).toContain('DynamicUser=yes');
    const marker = readFileSync(join(dir, 'state', 'stress-host.ready'), 'utf8');
    expect(marker).toMatch(/^iperf3=iperf 3\.12 \(cJSON 1\.7\.15\)\nstress-ng=stress-ng, version 0\.15\.06\nsockperf=sockperf, version 3\.7-no\.git\nsockperf_port=11111\niperf3_ports=5301-5302\nready_at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(readFileSync(join(dir, 'ecs-pulse-stress-host.log'), 'utf8')).toContain('attempt 1 failed, retrying');
  });

  it('Alibaba Cloud Linux: dnf, falling back to EPEL; servers not started when asked', () => {
    const r = sandbox('dnf', { startIperf3Servers: false });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('dnf'))).toEqual([
      ...Array(5).fill('dnf -y install iperf3 stress-ng'),
      'dnf -y install epel-release',
      'dnf -y install iperf3 stress-ng',
      'dnf -y install sysstat',
      'dnf -y install sockperf',
    ]);
    expect(r.calls.some((c) => c.startsWith('systemctl enable'))).toBe(false);
    // no sockperf binary on this image: still ready, and the marker says so
    expect(readFileSync(join(dir, 'state', 'stress-host.ready'), 'utf8')).toContain('sockperf=missing\n');
    expect(existsSync(join(dir, 'sockperf-server@.service'))).toBe(false);
  });

  it('fails clearly on an image without apt-get, dnf or yum', () => {
    const r = sandbox('none');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no apt-get, dnf or yum on this image');
  });

  systemdAnalyze.it('the generated unit passes systemd-analyze verify', () => {
    const r = sandbox('apt-get');
    expect(r.code, r.stderr).toBe(0);
    const unit = readFileSync(join(dir, 'iperf3-server@.service'), 'utf8').replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`);
    writeFileSync(join(dir, 'iperf3-server@5201.service'), unit);
    const v = spawnSync('systemd-analyze', ['verify', join(dir, 'iperf3-server@5201.service')], { encoding: 'utf8' });
    // only judge what systemd says about our unit (a host may warn about unrelated system units)
    expect(v.stderr.split('\n').filter((l) => l.includes('iperf3-server@'))).toEqual([]);
    expect(v.status).toBe(0);
  });
});
