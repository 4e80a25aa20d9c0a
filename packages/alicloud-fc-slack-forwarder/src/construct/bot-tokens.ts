/**
 * Bot tokens of bot-token routes (issue 19) in the construct: a sensitive `TerraformVariable` per
 * `config.routes[].botTokenEnv` that `environment` does not already provide, never a literal in the synthesized
 * JSON. slack-forwarder.ts and validate.ts call in at one marked hook point each.
 */
import { Annotations, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { SlackForwarderPropsError } from '../errors.js';
import type { SlackForwarderProps } from './props.js';

/** What `loadConfig` is given for a bot token at synth when the real one is a variable (a valid token shape). */
export const BOT_TOKEN_PLACEHOLDER = 'xoxb-0000000000-placeholder';
const TF_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const literal = (v: unknown): v is string => typeof v === 'string' && !Token.isUnresolved(v) && !v.includes('${');

/** The `botTokenEnv` names of the configured routes, in order, without duplicates. */
export function botTokenEnvNames(props: SlackForwarderProps): string[] {
  const names = (props.config?.routes ?? []).map((r) => (r as { botTokenEnv?: unknown }).botTokenEnv).filter((n): n is string => typeof n === 'string');
  return [...new Set(names)];
}

/** Checks `botTokenVariables`: an object of route token variables → Terraform identifiers, none given twice. */
export function checkBotTokenProps(props: SlackForwarderProps): void {
  const names = props.botTokenVariables;
  if (names === undefined) return;
  if (typeof names !== 'object' || names === null || Array.isArray(names)) throw new SlackForwarderPropsError('botTokenVariables', 'must be an object of botTokenEnv name → Terraform variable name.');
  const used = botTokenEnvNames(props);
  for (const [env, variable] of Object.entries(names)) {
    const prop = `botTokenVariables.${env}`;
    if (!used.includes(env)) throw new SlackForwarderPropsError(prop, `names no route's botTokenEnv (routes use: ${used.join(', ') || 'none'}).`);
    if (props.environment?.[env] !== undefined) throw new SlackForwarderPropsError(prop, `${env} is also given in environment; use one of them.`);
    if (typeof variable !== 'string' || !TF_NAME.test(variable)) throw new SlackForwarderPropsError(prop, `must be a Terraform identifier (letters, digits, _ and -, starting with a letter or _); got ${JSON.stringify(variable)}.`);
  }
}

/**
 * The function environment entries of the route bot tokens: `environment`'s own value when it has one (a
 * literal is warned about), else a sensitive variable (`botTokenVariables[name]`, default the name in lower case),
 * reused when the stack already declares it.
 */
export function botTokenEnvironment(scope: Construct, props: SlackForwarderProps): { readonly environment: Record<string, string>; readonly variables: Record<string, TerraformVariable> } {
  const environment: Record<string, string> = {};
  const variables: Record<string, TerraformVariable> = {};
  const stack = TerraformStack.of(scope);
  for (const env of botTokenEnvNames(props)) {
    const given = props.environment?.[env];
    if (given !== undefined) {
      if (literal(given)) {
        Annotations.of(scope).addWarning(`environment.${env} is a literal string: the Slack bot token (a secret) is written into the synthesized Terraform JSON. Omit it to get a sensitive variable.`);
      }
      continue;
    }
    const name = props.botTokenVariables?.[env] ?? env.toLowerCase();
    let variable = stack.node.findAll().find((c): c is TerraformVariable => c instanceof TerraformVariable && c.friendlyUniqueId === name);
    if (variable === undefined) {
      variable = new TerraformVariable(scope, `bot-token-${env}`, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Slack bot token (xoxb-…) of the forwarder's bot-token route(s) reading ${env} (secret).`,
      });
      variable.overrideLogicalId(name);
    }
    variables[env] = variable;
    environment[env] = variable.stringValue;
  }
  return { environment, variables };
}
