import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:https';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, synthExample, type SynthRun } from './support/example.js';
import { coldStart, fc3Context, httpEnvelope, invoke, OutputCapture, type HttpResponse } from './support/function.js';
import { fixture } from './support/events.js';
import { HTTP_TOKEN, secretWebhookUrl } from './support/secrets.js';

// Security checks on the example stack as `ecs-pulse synth` produces it (the example's own app command in a new
// process): the default configuration, and a variant with SSH, a client host and the FC 2.0 forwarder.
// Plus `npm audit --omit=dev` of the workspace (skipped, visibly, when the registry's audit endpoint is not usable).

type Json = Record<string, any>;
type Block = { readonly type: string; readonly name: string; readonly body: Json };

let defaults: SynthRun;
let variant: SynthRun;

beforeAll(async () => {
  [defaults, variant] = await Promise.all([
    synthExample({}),
    synthExample({ ECS_PULSE_SSH: 'true', ECS_PULSE_CLIENTS: '1', ECS_PULSE_FC_VERSION: '2', ECS_PULSE_CROSS_ZONE: 'true' }),
  ]);
}, 90_000);
afterAll(() => {
  for (const r of [defaults, variant]) if (r) rmSync(r.outdir, { recursive: true, force: true });
});

const VARIANTS = ['default configuration', 'ssh + client host + FC 2.0'] as const;
/** The synthesized stack of a variant (available once beforeAll ran). */
const run = (name: (typeof VARIANTS)[number]): SynthRun => (name === VARIANTS[0] ? defaults : variant);

function resources(json: Json, type?: string): Block[] {
  return Object.entries(json.resource ?? {}).flatMap(([t, byName]) =>
    type !== undefined && t !== type ? [] : Object.entries(byName as Json).map(([name, body]) => ({ type: t, name, body: body as Json })),
  );
}

/** Every string value in a JSON tree, with its path. */
function strings(value: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => strings(v, path === '' ? k : `${path}.${k}`));
  return [];
}

/** Every key/value pair in a JSON tree. */
function entries(value: unknown, path = ''): Array<{ path: string; key: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => entries(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [{ path: path === '' ? k : `${path}.${k}`, key: k, value: v }, ...entries(v, path === '' ? k : `${path}.${k}`)]);
  }
  return [];
}

const isReference = (v: string): boolean => /^\$\{[^}]+\}$/.test(v.trim());

describe('Security: network exposure', () => {
  it.each(VARIANTS)('%s: no ingress from 0.0.0.0/0 or ::/0 anywhere, and ingress rules exist (the check is not vacuous)', (name) => {
    const stack = run(name);
    // Prepare
    const rules = resources(stack.json, 'alicloud_security_group_rule');
    const ingress = rules.filter((r) => r.body.type === 'ingress');
    // Assess
    expect(ingress.length).toBeGreaterThan(0);
    const open = strings(stack.json.resource).filter(({ value }) => /^(0\.0\.0\.0\/0|::\/0)$/.test(value.trim()));
    expect(open).toEqual([]);
    for (const rule of ingress) {
      expect(rule.body.cidr_ip ?? rule.body.ipv6_cidr_ip ?? rule.body.source_security_group_id, `${rule.name} has no source`).toBeDefined();
      expect(rule.body.policy ?? 'accept').toBe('accept');
    }
  });

  it('the variant opens SSH (22/tcp) only to the allowed CIDRs', () => {
    const ssh = resources(variant.json, 'alicloud_security_group_rule').filter((r) => r.body.type === 'ingress' && r.body.port_range === '22/22');
    expect(ssh.length).toBeGreaterThan(0);
    for (const rule of ssh) expect(rule.body.cidr_ip).toBe('10.0.0.0/16');
  });
});

describe('Security: cost caps', () => {
  it.each(VARIANTS)('%s: every alicloud_instance releases itself (auto_release_time ≥ 30 min ahead) or is a capped spot instance', (name) => {
    const stack = run(name);
    const instances = resources(stack.json, 'alicloud_instance');
    expect(instances.length).toBeGreaterThan(0);
    const offsets = stack.json.resource?.time_offset ?? {};
    for (const { name, body } of instances) {
      const spotCapped = body.spot_strategy === 'SpotWithPriceLimit' && Number(body.spot_price_limit) > 0;
      if (spotCapped) continue;
      expect(body.instance_charge_type ?? 'PostPaid', `${name} is a subscription; auto release does not apply`).toBe('PostPaid');
      expect(typeof body.auto_release_time, `${name} has no auto_release_time`).toBe('string');
      const offset = /^\$\{time_offset\.([^.]+)\.rfc3339\}$/.exec(body.auto_release_time)?.[1];
      if (offset !== undefined) {
        const o = offsets[offset] as Json;
        const minutes = (o.offset_years ?? 0) * 525_600 + (o.offset_months ?? 0) * 43_200 + (o.offset_days ?? 0) * 1440 + (o.offset_hours ?? 0) * 60 + (o.offset_minutes ?? 0) + (o.offset_seconds ?? 0) / 60;
        expect(minutes, `${name}: release must lie at least 30 minutes ahead`).toBeGreaterThanOrEqual(30);
      } else {
        expect(body.auto_release_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    }
  });

  it.each(VARIANTS)('%s: no other compute resource that could run without a cap', (name) => {
    const stack = run(name);
    const compute = resources(stack.json).filter((r) => /^alicloud_(ecs_instance_set|ecs_dedicated_host|ess_scaling_group|eci_container_group|cs_)/.test(r.type));
    expect(compute.map((r) => r.type)).toEqual([]);
  });
});

describe('Security: the FC 3.0 HTTP trigger requires the token', () => {
  it('the function gets ECS_PULSE_HTTP_TOKEN from a random_password of ≥ 16 characters, and the trigger is POST-only', () => {
    const [fn] = resources(defaults.json, 'alicloud_fcv3_function');
    const token = fn!.body.environment_variables?.ECS_PULSE_HTTP_TOKEN as string;
    const password = /^\$\{random_password\.([^.]+)\.result\}$/.exec(token)?.[1];
    expect(password, `ECS_PULSE_HTTP_TOKEN is ${token}`).toBeDefined();
    const spec = defaults.json.resource.random_password[password!] as Json;
    expect(spec.length).toBeGreaterThanOrEqual(16);
    const http = resources(defaults.json, 'alicloud_fcv3_trigger').filter((t) => t.body.trigger_type === 'http');
    expect(http).toHaveLength(1);
    const config = JSON.parse(http[0]!.body.trigger_config as string) as Json;
    // Anonymous at the gateway, so the function's own token check is what protects it.
    expect(config.methods).toEqual(['POST']);
    expect(['anonymous', 'function']).toContain(config.authType);
  });

  it('the callback URL output carries the token by reference and is sensitive; every metric alarm calls it', () => {
    const outputs = Object.entries(defaults.json.output as Json).filter(([, o]) => String((o as Json).value).includes('random_password.'));
    expect(outputs.length).toBeGreaterThan(0);
    for (const [name, o] of outputs) expect((o as Json).sensitive, `output ${name} exposes the token`).toBe(true);
    const alarms = resources(defaults.json, 'alicloud_cms_alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(a.body.webhook).toMatch(/\?token=\$\{random_password\.[^.]+\.result\}/);
  });

  it('the bundled function refuses HTTP requests without the right token (401) or when no token is configured (500), and posts nothing', async () => {
    const sink: SlackSink = await startSlackSink();
    const output = new OutputCapture().start();
    try {
      const body = fixture('cms-metric-alarm-callback-ecs-cpu.form.txt').trim();
      const guarded = coldStart({ SLACK_WEBHOOK_URL: secretWebhookUrl(sink.origin), ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, ECS_PULSE_CONFIG: undefined });
      const answers: number[] = [];
      for (const token of [undefined, '', 'x'.repeat(17), HTTP_TOKEN.toUpperCase(), `${HTTP_TOKEN}x`]) {
        const r = await invoke(guarded, httpEnvelope({ body, ...(token !== undefined && { token }) }), fc3Context());
        answers.push((r as { value: HttpResponse }).value.statusCode);
      }
      expect(answers).toEqual([401, 401, 401, 401, 401]);
      const open = coldStart({ SLACK_WEBHOOK_URL: secretWebhookUrl(sink.origin), ECS_PULSE_HTTP_TOKEN: undefined, ECS_PULSE_CONFIG: undefined });
      const unconfigured = await invoke(open, httpEnvelope({ body, token: HTTP_TOKEN }), fc3Context());
      expect((unconfigured as { value: HttpResponse }).value.statusCode).toBe(500);
      expect(JSON.parse((unconfigured as { value: HttpResponse }).value.body!)).toMatchObject({ error: 'not_configured' });
      expect(sink.requests).toEqual([]);
      const ok = await invoke(guarded, httpEnvelope({ body, token: HTTP_TOKEN }), fc3Context());
      expect((ok as { value: HttpResponse }).value.statusCode).toBe(200);
      expect(sink.messages).toHaveLength(1);
    } finally {
      output.stop();
      await sink.close();
    }
  });
});

describe('Security: RAM', () => {
  /** The Allow statements' actions of every RAM policy document in a stack. */
  function policyDocuments(json: Json): Array<{ where: string; document: Json }> {
    const docs: Array<{ where: string; document: Json }> = [];
    for (const r of resources(json)) {
      for (const key of ['policy_document', 'document']) {
        if (typeof r.body[key] === 'string' && r.type.startsWith('alicloud_ram_')) docs.push({ where: `${r.type}.${r.name}.${key}`, document: JSON.parse(r.body[key] as string) as Json });
      }
    }
    return docs;
  }

  const wildcard = (action: string): boolean => action.trim() === '*' || /^[A-Za-z0-9-]+:\*$/.test(action.trim());

  it.each(VARIANTS)('%s: policy documents parse, and no Allow statement grants "*" or "service:*"', (name) => {
    const stack = run(name);
    const docs = policyDocuments(stack.json);
    expect(docs.length).toBeGreaterThan(0);
    const flagged: string[] = [];
    for (const { where, document } of docs) {
      const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Json[];
      expect(statements.length, where).toBeGreaterThan(0);
      for (const s of statements) {
        if (s.Effect !== 'Allow') continue;
        const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[];
        for (const a of actions) if (wildcard(a)) flagged.push(`${where}: Action ${a}`);
        expect(s.NotAction, `${where}: NotAction with Allow grants everything else`).toBeUndefined();
      }
    }
    expect(flagged).toEqual([]);
  });

  it.each(VARIANTS)('%s: roles trust one service principal, and no broad system policy is attached', (name) => {
    const stack = run(name);
    const roles = resources(stack.json, 'alicloud_ram_role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      const trust = JSON.parse(role.body.assume_role_policy_document ?? role.body.document) as Json;
      for (const s of trust.Statement as Json[]) {
        expect(s.Action).toBe('sts:AssumeRole');
        expect(s.Principal?.RAM, `${role.name} is assumable by RAM users`).toBeUndefined();
        expect(s.Principal?.Service).toEqual(['fc.aliyuncs.com']);
      }
    }
    const attachments = resources(stack.json).filter((r) => /^alicloud_ram_(role|user|group)_policy_attachment$/.test(r.type));
    for (const a of attachments) {
      if (a.body.policy_type === 'System') expect(a.body.policy_name).not.toMatch(/^(AdministratorAccess|.*FullAccess)$/);
    }
  });

  it('the flagging itself works on a document with a service wildcard (self-check)', () => {
    expect(['*', 'log:*', 'ecs:*'].every(wildcard)).toBe(true);
    expect(['log:PostLogStoreLogs', 'ecs:Describe*', 'fc:InvokeFunction'].some(wildcard)).toBe(false);
  });
});

describe('Security: no sensitive values as literals', () => {
  const SENSITIVE_KEY = /(password|passwd|secret|token|webhook|access_?key|private_?key|credential)/i;

  it.each(VARIANTS)('%s: every sensitive-looking attribute is a reference, and no secret-shaped literal appears', (name) => {
    const stack = run(name);
    const sensitive = entries(stack.json.resource).filter(({ key, value }) => SENSITIVE_KEY.test(key) && typeof value === 'string' && value !== '');
    // SLACK_WEBHOOK_URL, and in FC 3.0 ECS_PULSE_HTTP_TOKEN and the alarm webhooks: the check is not vacuous.
    expect(sensitive.length).toBeGreaterThanOrEqual(1);
    const literalSecrets = sensitive
      .filter(({ value }) => !isReference(value as string) && !/^\$\{[^}]+\}(\?token=\$\{[^}]+\})?$/.test(value as string))
      .map(({ path, value }) => `${path} = ${String(value).slice(0, 40)}`);
    expect(literalSecrets).toEqual([]);
    const text = stack.text;
    expect(text).not.toMatch(/hooks\.slack(-gov)?\.com/);
    expect(text).not.toMatch(/[?&]token=(?!\$\{)/);
    expect(text).not.toMatch(/LTAI[A-Za-z0-9]{12,}/);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    // cloud-init is base64: decode it and look inside too.
    for (const i of resources(stack.json, 'alicloud_instance')) {
      const userData = Buffer.from(String(i.body.user_data ?? ''), 'base64').toString('utf8');
      expect(userData.length).toBeGreaterThan(100);
      expect(userData).not.toMatch(/hooks\.slack|LTAI[A-Za-z0-9]{12,}|PRIVATE KEY|token=/);
    }
  });

  it.each(VARIANTS)('%s: the webhook URL is a sensitive variable without a default; sensitive outputs are marked', (name) => {
    const stack = run(name);
    const variable = stack.json.variable?.slack_webhook_url as Json;
    expect(variable).toMatchObject({ type: 'string', sensitive: true });
    expect(variable.default).toBeUndefined();
    for (const [name, o] of Object.entries((stack.json.output ?? {}) as Json)) {
      if (/random_password\.|tls_private_key\.|var\.slack_webhook_url/.test(JSON.stringify((o as Json).value))) expect((o as Json).sensitive, `output ${name}`).toBe(true);
    }
  });

  it('the variant writes the SSH private key only through a sensitive file with mode 0600', () => {
    const files = resources(variant.json, 'local_sensitive_file');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.body.content).toMatch(/^\$\{tls_private_key\.[^.]+\.private_key_(pem|openssh)\}$/);
      expect(f.body.file_permission).toBe('0600');
    }
    expect(resources(variant.json, 'local_file').filter((f) => /private_key/.test(JSON.stringify(f.body)))).toEqual([]);
  });
});

// --- npm audit -----------------------------------------------------------------------------------------------

function registryReachable(timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request('https://registry.npmjs.org/-/ping', { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(undefined);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(`the npm registry did not answer within ${timeoutMs} ms`);
    });
    req.on('error', (error) => resolve(`the npm registry is not reachable (${(error as NodeJS.ErrnoException).code ?? error.message})`));
    req.end();
  });
}

function npmAudit(timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

describe('Security: dependencies', () => {
  it('npm audit --omit=dev --audit-level=high: no high or critical findings', async (ctx) => {
    const unreachable = await registryReachable(5000);
    if (unreachable) {
      console.warn(`npm audit skipped: ${unreachable}`);
      ctx.skip(`npm audit skipped: ${unreachable}`);
    }
    const audit = await npmAudit(60_000);
    if (audit.timedOut) {
      console.warn('npm audit skipped: no answer within 60 s');
      ctx.skip('npm audit skipped: no answer within 60 s');
    }
    let report: Json;
    try {
      report = JSON.parse(audit.stdout) as Json;
    } catch {
      throw new Error(`npm audit printed no JSON (exit ${audit.code}): ${audit.stderr.slice(0, 500)}`);
    }
    const counts = report.metadata?.vulnerabilities as Json | undefined;
    if (counts === undefined) {
      // The registry answered, but not with an audit report (mirrors without the advisories endpoint answer 404/405).
      const reason = `the registry's audit endpoint is not usable here (${String(report.message ?? report.error?.summary ?? 'no report').slice(0, 200)})`;
      console.warn(`npm audit skipped: ${reason}`);
      ctx.skip(`npm audit skipped: ${reason}`);
    }
    const findings = Object.values((report.vulnerabilities ?? {}) as Json)
      .filter((v) => (v as Json).severity === 'high' || (v as Json).severity === 'critical')
      .map((v) => `${(v as Json).name} (${(v as Json).severity}): ${JSON.stringify((v as Json).via).slice(0, 200)}`);
    console.info(`npm audit --omit=dev: ${JSON.stringify(counts)}`);
    expect(findings).toEqual([]);
    expect((counts!.high ?? 0) + (counts!.critical ?? 0)).toBe(0);
  }, 90_000);
});
