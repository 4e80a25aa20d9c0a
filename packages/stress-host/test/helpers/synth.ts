import { AlicloudProvider } from '@ecs-pulse/alicloud-provider';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';

/** A fresh stack with a configured alicloud provider. */
export function newStack(name = 'test'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), name);
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  return stack;
}

/** Synthesized Terraform JSON (text and parsed), with cdktf's validations run. */
export function synth(stack: TerraformStack): { text: string; json: any } {
  const text = Testing.synth(stack, true);
  return { text, json: JSON.parse(text) };
}

/** Every resource of a type, by logical id. */
export function resources(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The warning annotations of a construct tree. */
export function warnings(scope: Construct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}
