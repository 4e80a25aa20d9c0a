import { spawn } from 'node:child_process';
import { expectParams, type OpenApiDouble } from './openapi-double.js';

export interface ScriptRun {
  readonly output: string;
  readonly exitCode: number;
  readonly dropped?: number;
}

/** How the double "runs" a script on an instance. */
export type Runner = (script: string, instanceId: string) => Promise<ScriptRun>;

export interface Invocation {
  readonly invokeId: string;
  readonly script: string;
  readonly instanceIds: string[];
  readonly timeout: number;
  readonly results: Map<string, ScriptRun | undefined>;
  polls: number;
}

/** Run a script with bash locally (the "host" is this machine). */
export const bashRunner: Runner = (script) =>
  new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ output: out, exitCode: code ?? 1 }));
  });

/**
 * Register ECS 2014-05-26 handlers on a double: DescribeInstances, RunCommand (checks Type, Base64
 * content, InstanceId list, Timeout), DescribeInvocationResults (each instance Running until its runner is
 * done, then Finished with Base64 output, so instances of one invocation finish at different times; the
 * record status is per instance, not an aggregate; pages of `pageSize` with NextToken).
 */
export function ecsDouble(
  double: OpenApiDouble,
  opts: {
    readonly region: string;
    readonly instances: Record<string, { privateIp: string; publicIp?: string }>;
    readonly runner: Runner;
    readonly pageSize?: number;
  },
): { readonly invocations: Invocation[] } {
  const invocations: Invocation[] = [];
  const V = '2014-05-26';
  double.on(V, 'DescribeInstances', (call) => {
    expectParams(call, { RegionId: opts.region, InstanceIds: /^\[.*\]$/ });
    const ids = JSON.parse(call.query.InstanceIds ?? '[]') as string[];
    const found = ids.filter((id) => opts.instances[id]);
    return {
      json: {
        RequestId: 'R-DI',
        TotalCount: found.length,
        PageNumber: 1,
        PageSize: 100,
        Instances: {
          Instance: found.map((id) => ({
            InstanceId: id,
            Status: 'Running',
            VpcAttributes: { PrivateIpAddress: { IpAddress: [opts.instances[id]?.privateIp] } },
            PublicIpAddress: { IpAddress: opts.instances[id]?.publicIp ? [opts.instances[id]?.publicIp] : [] },
          })),
        },
      },
    };
  });
  double.on(V, 'RunCommand', (call) => {
    expectParams(call, { RegionId: opts.region, Type: 'RunShellScript', ContentEncoding: 'Base64', Timeout: /^\d+$/, 'InstanceId.1': /^i-/ });
    const instanceIds = Object.keys(call.query).filter((k) => /^InstanceId\.\d+$/.test(k)).sort().map((k) => call.query[k] ?? '');
    const script = Buffer.from(call.query.CommandContent ?? '', 'base64').toString('utf8');
    if (!script.startsWith('#!/bin/bash')) throw new Error('CommandContent is not a Base64 shell script');
    const inv: Invocation = { invokeId: `t-${invocations.length + 1}`, script, instanceIds, timeout: Number(call.query.Timeout), results: new Map(), polls: 0 };
    for (const id of instanceIds) {
      inv.results.set(id, undefined);
      void opts.runner(script, id).then((r) => inv.results.set(id, r));
    }
    invocations.push(inv);
    return { json: { RequestId: 'R-RC', CommandId: `c-${invocations.length}`, InvokeId: inv.invokeId } };
  });
  double.on(V, 'DescribeInvocationResults', (call) => {
    expectParams(call, { RegionId: opts.region, InvokeId: /^t-/ });
    const inv = invocations.find((i) => i.invokeId === call.query.InvokeId);
    if (!inv) return { status: 404, json: { Code: 'InvalidInvokeId.NotFound', Message: 'not found', RequestId: 'R' } };
    inv.polls++;
    const all = inv.instanceIds.map((id) => {
      const r = inv.results.get(id);
      return {
        InstanceId: id,
        InvokeId: inv.invokeId,
        CommandId: 'c-1',
        InvocationStatus: r === undefined ? 'Running' : r.exitCode === 0 ? 'Success' : 'Failed',
        // Per instance, like the service: the record status of one instance says nothing about the others.
        InvokeRecordStatus: r === undefined ? 'Running' : 'Finished',
        ExitCode: r?.exitCode ?? 0,
        Output: Buffer.from(r?.output ?? '').toString('base64'),
        Dropped: r?.dropped ?? 0,
        ErrorCode: r && r.exitCode !== 0 ? 'ExitCodeNonzero' : '',
        StartTime: '2026-11-24T10:00:00Z',
        FinishedTime: r ? '2026-11-24T10:00:05Z' : '',
      };
    });
    const size = opts.pageSize ?? Number(call.query.MaxResults ?? 10);
    const start = Number(call.query.NextToken ?? 0);
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : '';
    return {
      json: {
        RequestId: 'R-DIR',
        Invocation: { InvocationResults: { InvocationResult: page }, NextToken: next, PageSize: size, TotalCount: all.length },
      },
    };
  });
  return { invocations };
}
