// The one gate for tests that need something from the host: a tool on PATH (iperf3, stress-ng, shellcheck,
// sockperf, chromium, sar/mpstat, ip/ss/tc) or root / network namespaces. Where it is absent the tests skip
// with a message naming the tool and the Debian package that provides it; with ECS_PULSE_REQUIRE_TOOLS=1
// (set by .ci/run after installing them) a missing tool is a failing test instead.
// Plain ESM + index.d.ts so that every workspace imports it by name without a build step.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** The environment variable that turns a missing tool into a failure. */
export const REQUIRE_TOOLS_ENV = 'ECS_PULSE_REQUIRE_TOOLS';

/** Every host requirement a test may name, with the Debian package that provides it. */
export const HOST_TOOLS = Object.freeze({
  iperf3: { kind: 'binary', debian: 'iperf3' },
  'stress-ng': { kind: 'binary', debian: 'stress-ng' },
  shellcheck: { kind: 'binary', debian: 'shellcheck' },
  sockperf: { kind: 'binary', debian: 'sockperf' },
  openssl: { kind: 'binary', debian: 'openssl' },
  chromium: { kind: 'binary', debian: 'chromium' },
  sar: { kind: 'binary', debian: 'sysstat' },
  mpstat: { kind: 'binary', debian: 'sysstat' },
  ip: { kind: 'binary', debian: 'iproute2' },
  ss: { kind: 'binary', debian: 'iproute2' },
  tc: { kind: 'binary', debian: 'iproute2' },
  bash: { kind: 'binary', debian: 'bash' },
  'systemd-analyze': { kind: 'binary', debian: 'systemd' },
  root: { kind: 'root', debian: undefined },
  netns: { kind: 'netns', debian: 'iproute2' },
});

/** Whether `ECS_PULSE_REQUIRE_TOOLS` asks for every tool (`1` or `true`). */
export function toolsRequired(env = process.env) {
  const v = String(env[REQUIRE_TOOLS_ENV] ?? '').trim().toLowerCase();
  return v === '1' || v === 'true';
}

/** The absolute path of `name` on `PATH` (an executable regular file), or undefined. */
export function findOnPath(name, env = process.env) {
  for (const dir of String(env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

const netnsCache = new Map();
function canCreateNetns(env) {
  const key = String(env.PATH ?? '');
  if (!netnsCache.has(key)) {
    const unshare = findOnPath('unshare', env);
    const ok =
      isRoot() &&
      findOnPath('ip', env) !== undefined &&
      unshare !== undefined &&
      spawnSync(unshare, ['--net', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    netnsCache.set(key, ok);
  }
  return netnsCache.get(key);
}

function describeMissing(tool) {
  const spec = HOST_TOOLS[tool] ?? { kind: 'binary', debian: tool };
  if (spec.kind === 'root') return { tool, kind: 'root', what: 'root (tests run as another user)', debian: undefined, hint: 'run the tests as root, e.g. `sudo -E npm test`' };
  if (spec.kind === 'netns') {
    return { tool, kind: 'netns', what: 'network namespaces (cannot create one here)', debian: spec.debian, hint: 'run as root with `apt-get install -y iproute2 util-linux` on a kernel that allows network namespaces' };
  }
  return { tool, kind: 'binary', what: `${tool} (not on PATH)`, debian: spec.debian, hint: `apt-get install -y ${spec.debian}` };
}

/** Which of `tools` are absent, each with its install hint. */
export function checkTools(tools, options = {}) {
  const env = options.env ?? process.env;
  const missing = [];
  for (const tool of tools) {
    const spec = HOST_TOOLS[tool];
    const kind = spec ? spec.kind : 'binary';
    const present = kind === 'root' ? isRoot() : kind === 'netns' ? canCreateNetns(env) : findOnPath(tool, env) !== undefined;
    if (!present) missing.push(describeMissing(tool));
  }
  const required = toolsRequired(env);
  let message = '';
  if (missing.length > 0) {
    const what = missing.map((m) => m.what).join(', ');
    const debs = [...new Set(missing.filter((m) => m.kind === 'binary').map((m) => m.debian))];
    const hints = [...(debs.length > 0 ? [`apt-get install -y ${debs.join(' ')}`] : []), ...new Set(missing.filter((m) => m.kind !== 'binary').map((m) => m.hint))];
    message = required
      ? `needs ${what}; install with: ${hints.join('; ')} (${REQUIRE_TOOLS_ENV}=1 is set, so a missing tool fails)`
      : `skipped: needs ${what}; install with: ${hints.join('; ')} (${REQUIRE_TOOLS_ENV}=1 makes this a failure)`;
  }
  return { available: missing.length === 0, required, missing, message };
}

/**
 * A gate for tests needing `tools`. `gate.describe` / `gate.it` register the suite or test as usual when
 * the tools are there; otherwise they register it as skipped (the reason in its name, and once on stderr),
 * or, when ECS_PULSE_REQUIRE_TOOLS=1, as a test that fails with the reason.
 */
export function needTools(tools, options = {}) {
  const check = checkTools(tools, options);
  const warn = (name) => console.warn(`[ecs-pulse] ${name}: ${check.message}`);
  const label = (name) => `${name} (skipped: needs ${check.missing.map((m) => m.tool).join(', ')})`;
  const failing = (name) => () => {
    throw new Error(`${name}: ${check.message}`);
  };
  return {
    ...check,
    describe(name, body) {
      if (check.available) return describe(name, body);
      if (check.required) return describe(name, () => it(`has ${tools.join(', ')}`, failing(name)));
      warn(name);
      return describe.skip(label(name), body);
    },
    it(name, fn, timeout) {
      if (check.available) return it(name, fn, timeout);
      if (check.required) return it(name, failing(name));
      warn(name);
      return it.skip(label(name), fn, timeout);
    },
  };
}
