import { AlicloudProvider } from '@ecs-pulse/alicloud-provider';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { SlackForwarder, type SlackForwarderProps } from '../../src/index.js';

// Bot-token routes (issue 19) in the construct: the token is a sensitive variable the route props name.

type Json = Record<string, any>;

function synth(props: SlackForwarderProps, setup?: (stack: TerraformStack) => void): { json: Json; text: string; forwarder: SlackForwarder } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  setup?.(stack);
  const forwarder = new SlackForwarder(stack, 'alerts', props);
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text) as Json, text, forwarder };
}
const fnEnv = (json: Json): Json => (Object.values(json.resource.alicloud_fcv3_function) as Json[])[0]!.environment_variables;
const oncall = { name: 'oncall', botTokenEnv: 'SLACK_BOT_TOKEN', channel: 'C0123ABCD', threads: true };

describe('Construct: bot-token routes', () => {
  it('declares a sensitive variable for the route token (default name from botTokenEnv) and passes it to the function', () => {
    const { json, forwarder } = synth({ config: { routes: [oncall] } });
    expect(checkStack(json).issues).toEqual([]);
    expect(json.variable.slack_bot_token).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(fnEnv(json).SLACK_BOT_TOKEN).toBe('${var.slack_bot_token}');
    expect(JSON.parse(fnEnv(json).ECS_PULSE_CONFIG as string)).toMatchObject({ routes: [oncall] });
    expect(Object.keys(forwarder.botTokenVariables)).toEqual(['SLACK_BOT_TOKEN']);
    expect(forwarder.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
  });

  it('uses the variable name botTokenVariables gives, and reuses a variable the stack already has', () => {
    const named = synth({ config: { routes: [oncall] }, botTokenVariables: { SLACK_BOT_TOKEN: 'oncall_bot_token' } });
    expect(named.json.variable.oncall_bot_token).toMatchObject({ sensitive: true });
    expect(named.json.variable.slack_bot_token).toBeUndefined();
    expect(fnEnv(named.json).SLACK_BOT_TOKEN).toBe('${var.oncall_bot_token}');
    const reused = synth({ config: { routes: [oncall] } }, (stack) => new TerraformVariable(stack, 'slack_bot_token', { type: 'string', sensitive: true }));
    expect(fnEnv(reused.json).SLACK_BOT_TOKEN).toBe('${var.slack_bot_token}');
  });

  it('takes a token from environment as is and warns when it is a literal (never declares a second variable)', () => {
    const literal = 'xoxb-1111-2222-literalsecret';
    const { json, text, forwarder } = synth({ config: { routes: [oncall] }, environment: { SLACK_BOT_TOKEN: literal } });
    expect(json.variable.slack_bot_token).toBeUndefined();
    expect(text).toContain(literal);
    expect(forwarder.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data))).toEqual([expect.stringContaining('environment.SLACK_BOT_TOKEN is a literal string')]);
  });

  it('validates bot-token routes and botTokenVariables at synth', () => {
    expect(() => synth({ config: { routes: [{ ...oncall, channel: '#alerts' }] } })).toThrow(/config\.routes\[0\]\.channel: must be a channel ID/);
    expect(() => synth({ config: { routes: [oncall] }, botTokenVariables: { OTHER: 'x' } })).toThrow(/botTokenVariables\.OTHER" names no route's botTokenEnv/);
    expect(() => synth({ config: { routes: [oncall] }, botTokenVariables: { SLACK_BOT_TOKEN: '1bad' } })).toThrow(/must be a Terraform identifier/);
    expect(() => synth({ config: { routes: [oncall] }, environment: { SLACK_BOT_TOKEN: 'not-a-token-at-all' } })).toThrow(/SLACK_BOT_TOKEN does not hold a Slack bot token/);
  });
});
