import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expectParams, type OpenApiDouble } from './openapi-double.js';

/**
 * A local testbed of real hosts: one server and N clients as network namespaces, each with an `eth0`
 * veth whose peer sits on a bridge inside a switch namespace of its own (nothing is added to the root
 * namespace), the server's link capped in both directions with `tc tbf`. Names carry a unique prefix;
 * `destroy()` kills every process left in the namespaces and deletes them.
 */
export interface Testbed {
  readonly prefix: string;
  readonly capMbit: number;
  readonly hosts: ReadonlyArray<{ readonly instanceId: string; readonly netns: string; readonly ip: string; readonly role: 'server' | 'client' }>;
  destroy(): void;
}

/** Why the testbed cannot run here (missing root or tools), or undefined when it can. */
export function testbedMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'root (network namespaces need CAP_NET_ADMIN; run the tests as root)';
  const tools: Array<[string, string[], string]> = [
    ['ip', ['-V'], 'iproute2'],
    ['tc', ['-V'], 'iproute2'],
    ['iperf3', ['--version'], 'iperf3'],
    ['sockperf', ['--version'], 'sockperf'],
    ['python3', ['--version'], 'python3'],
  ];
  const missing = tools.filter(([bin, args]) => spawnSync(bin, args, { stdio: 'ignore' }).error !== undefined).map(([bin, , pkg]) => `${bin} (apt-get install -y ${pkg})`);
  return missing.length > 0 ? missing.join(', ') : undefined;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Build the testbed. On any failure it removes what it made before rethrowing. */
export function createTestbed(opts: { clients: number; capMbit: number; prefix?: string }): Testbed {
  const prefix = opts.prefix ?? `ept${randomBytes(2).toString('hex')}`;
  const sw = `${prefix}-sw`;
  const names = ['srv', ...Array.from({ length: opts.clients }, (_, i) => `c${i + 1}`)];
  const hosts = names.map((n, i) => ({
    instanceId: `i-tb${prefix.slice(3)}${n}00${i}`,
    netns: `${prefix}-${n}`,
    ip: `10.77.0.${10 + i}`,
    role: (i === 0 ? 'server' : 'client') as 'server' | 'client',
  }));
  const made: string[] = [];
  const destroy = (): void => {
    for (const ns of [...made].reverse()) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    }
    made.length = 0;
  };
  try {
    for (const ns of [sw, ...hosts.map((h) => h.netns)]) {
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', sw, 'link', 'set', 'br0', 'up');
    hosts.forEach((h, i) => {
      const port = `${prefix}p${i}`;
      ip('link', 'add', port, 'netns', sw, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns);
      ip('-n', sw, 'link', 'set', port, 'master', 'br0', 'up');
      ip('-n', h.netns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
      ip('-n', h.netns, 'link', 'set', 'eth0', 'up');
    });
    // The server's link, both directions: its own egress (server → clients) and the switch port's egress
    // towards it (clients → server). burst fits a 64 KB GSO segment.
    const tbf = ['root', 'tbf', 'rate', `${opts.capMbit}mbit`, 'burst', '256kb', 'latency', '50ms'];
    execFileSync('ip', ['netns', 'exec', hosts[0]!.netns, 'tc', 'qdisc', 'add', 'dev', 'eth0', ...tbf]);
    execFileSync('ip', ['netns', 'exec', sw, 'tc', 'qdisc', 'add', 'dev', `${prefix}p0`, ...tbf]);
  } catch (e) {
    destroy();
    throw e;
  }
  return { prefix, capMbit: opts.capMbit, hosts, destroy };
}

/** A finished (or running) script on one instance. */
interface Run {
  status: 'Pending' | 'Running' | 'Success' | 'Failed' | 'Timeout';
  output: string;
  dropped: number;
  exitCode: number;
  startTime: string;
  finishedTime: string;
}

const OUTPUT_LIMIT = 24 * 1024;

/**
 * ECS handlers for the testbed on an OpenApiDouble: DescribeInstances (namespace addresses, an instance
 * type), DescribeInstanceTypes (the cap as the advertised bandwidth), RunCommand (each script runs inside
 * its instance's namespace with `ip netns exec`, after a delivery delay, killed at its Timeout) and
 * DescribeInvocationResults (Pending → Running → Success/Failed/Timeout, output cut at 24 KB with Dropped,
 * real start and finish times).
 */
export function testbedEcs(double: OpenApiDouble, bed: Testbed, opts: { region: string; instanceType: string; ppsRx?: number; deliveryMs?: [number, number] }): { invocations: Array<{ invokeId: string; instanceIds: string[]; script: string; at: number }> } {
  const V = '2014-05-26';
  const invocations: Array<{ invokeId: string; instanceIds: string[]; script: string; at: number; runs: Map<string, Run> }> = [];
  const byId = new Map(bed.hosts.map((h) => [h.instanceId, h]));
  double.on(V, 'DescribeInstances', (call) => {
    expectParams(call, { RegionId: opts.region, InstanceIds: /^\[.*\]$/ });
    const ids = (JSON.parse(call.query.InstanceIds ?? '[]') as string[]).filter((id) => byId.has(id));
    return {
      json: {
        RequestId: 'TB-DI', TotalCount: ids.length, PageNumber: 1, PageSize: 100,
        Instances: { Instance: ids.map((id) => ({ InstanceId: id, Status: 'Running', InstanceType: opts.instanceType, VpcAttributes: { PrivateIpAddress: { IpAddress: [byId.get(id)?.ip] } }, PublicIpAddress: { IpAddress: [] } })) },
      },
    };
  });
  double.on(V, 'DescribeInstanceTypes', (call) => {
    const wanted = Object.keys(call.query).filter((k) => /^InstanceTypes\.\d+$/.test(k)).map((k) => call.query[k]);
    if (wanted.length === 0) throw new Error('DescribeInstanceTypes: InstanceTypes.N is expected here');
    const kbit = bed.capMbit * 1000;
    return {
      json: {
        RequestId: 'TB-DIT',
        InstanceTypes: { InstanceType: wanted.filter((t) => t === opts.instanceType).map((t) => ({ InstanceTypeId: t, CpuCoreCount: 2, MemorySize: 4, InstanceBandwidthRx: kbit, InstanceBandwidthTx: kbit, InstancePpsRx: opts.ppsRx ?? 300_000, InstancePpsTx: opts.ppsRx ?? 300_000 })) },
      },
    };
  });
  double.on(V, 'RunCommand', (call) => {
    expectParams(call, { RegionId: opts.region, Type: 'RunShellScript', ContentEncoding: 'Base64', Timeout: /^\d+$/, 'InstanceId.1': /^i-/ });
    const instanceIds = Object.keys(call.query).filter((k) => /^InstanceId\.\d+$/.test(k)).sort().map((k) => call.query[k] ?? '');
    const script = Buffer.from(call.query.CommandContent ?? '', 'base64').toString('utf8');
    const timeout = Number(call.query.Timeout);
    const runs = new Map<string, Run>();
    for (const id of instanceIds) {
      const host = byId.get(id);
      if (!host) throw new Error(`InstanceId ${id} is not a testbed instance`);
      const run: Run = { status: 'Pending', output: '', dropped: 0, exitCode: 0, startTime: '', finishedTime: '' };
      runs.set(id, run);
      const [lo, hi] = opts.deliveryMs ?? [50, 250];
      setTimeout(() => {
        run.status = 'Running';
        run.startTime = new Date().toISOString();
        const child = spawn('ip', ['netns', 'exec', host.netns, 'bash', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = Buffer.alloc(0);
        const add = (c: Buffer): void => {
          out = Buffer.concat([out, c]);
        };
        child.stdout.on('data', add);
        child.stderr.on('data', add);
        let timedOut = false;
        const killer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeout * 1000);
        child.on('close', (code) => {
          clearTimeout(killer);
          run.output = out.subarray(0, OUTPUT_LIMIT).toString('utf8');
          run.dropped = Math.max(0, out.length - OUTPUT_LIMIT);
          run.exitCode = code ?? -1;
          run.finishedTime = new Date().toISOString();
          run.status = timedOut ? 'Timeout' : code === 0 ? 'Success' : 'Failed';
        });
      }, lo + Math.random() * (hi - lo));
    }
    const invokeId = `t-tb${invocations.length + 1}`;
    invocations.push({ invokeId, instanceIds, script, at: Date.now(), runs });
    return { json: { RequestId: 'TB-RC', CommandId: `c-tb${invocations.length}`, InvokeId: invokeId } };
  });
  double.on(V, 'DescribeInvocationResults', (call) => {
    expectParams(call, { RegionId: opts.region, InvokeId: /^t-/ });
    const inv = invocations.find((i) => i.invokeId === call.query.InvokeId);
    if (!inv) return { status: 404, json: { Code: 'InvalidInvokeId.NotFound', Message: 'not found', RequestId: 'TB' } };
    const runs = [...inv.runs.entries()];
    const done = runs.every(([, r]) => r.status !== 'Pending' && r.status !== 'Running');
    return {
      json: {
        RequestId: 'TB-DIR',
        Invocation: {
          InvocationResults: {
            InvocationResult: runs.map(([id, r]) => ({
              InstanceId: id, InvokeId: inv.invokeId, CommandId: 'c-tb',
              InvocationStatus: r.status, InvokeRecordStatus: done ? 'Finished' : 'Running',
              ExitCode: r.exitCode, Output: done || r.status !== 'Running' ? Buffer.from(r.output).toString('base64') : '',
              Dropped: r.dropped, ErrorCode: r.status === 'Failed' ? 'ExitCodeNonzero' : r.status === 'Timeout' ? 'ExecutionTimeout' : '',
              StartTime: r.startTime, FinishedTime: r.finishedTime,
            })),
          },
          NextToken: '', PageSize: 50, TotalCount: runs.length,
        },
      },
    };
  });
  return { invocations };
}
