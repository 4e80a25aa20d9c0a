import { AlicloudProviderError, StackSchemaError } from '../errors.js';
import { indexValidators, loadVendoredValidators } from '../validators/load.js';
import type { ValidatorBlock, ValidatorBlockType } from '../validators/types.js';
import type { ValidatorIndex } from '../validators/load.js';
import { loadVendoredSchema } from './load-schema.js';
import { ValueChecker } from './values.js';
import type { ValueContext } from './values.js';
import { OTHER_PROVIDER_ATTRIBUTES } from './other-providers.js';
import { findInterpolations, findTraversals, forExpressionNames, hasInterpolation } from './references.js';
import type { TraversalStep } from './references.js';
import type {
  CheckStackOptions,
  CtyType,
  ProviderSchemaDocument,
  SchemaAttribute,
  SchemaBlock,
  SchemaBlockType,
  StackCheckResult,
  StackIssue,
  StackIssueCode,
} from './types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Arguments every resource and data source accepts besides its schema. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'connection', 'provisioner', 'timeouts']);
/** Reference roots that are not resources (`count.index`, `each.value`, `path.module`, ...). */
const BUILTIN_ROOTS = new Set(['count', 'each', 'self', 'path', 'terraform']);

interface Index {
  /** Schema by resource type / data source type. */
  readonly resources: Map<string, SchemaBlock>;
  readonly dataSources: Map<string, SchemaBlock>;
  /** Provider configuration schema by local name (`alicloud`) with its source (`aliyun/alicloud`). */
  readonly providers: Map<string, { readonly block: SchemaBlock | undefined; readonly source: string }>;
}

const indexCache = new WeakMap<ProviderSchemaDocument, Index>();

function indexSchema(document: ProviderSchemaDocument): Index {
  const hit = indexCache.get(document);
  if (hit) return hit;
  const index: Index = { resources: new Map(), dataSources: new Map(), providers: new Map() };
  for (const [fqpn, entry] of Object.entries(document.provider_schemas ?? {})) {
    const parts = fqpn.split('/');
    const localName = parts[parts.length - 1] ?? fqpn;
    index.providers.set(localName, { block: entry.provider?.block, source: parts.slice(-2).join('/') });
    for (const [type, schema] of Object.entries(entry.resource_schemas ?? {})) index.resources.set(type, schema.block);
    for (const [type, schema] of Object.entries(entry.data_source_schemas ?? {})) index.dataSources.set(type, schema.block);
  }
  indexCache.set(document, index);
  return index;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function typeName(type: CtyType): string {
  if (typeof type === 'string') return type;
  const [kind, inner] = type;
  if (kind === 'object') return `object({${Object.keys(inner as object).join(', ')}})`;
  if (kind === 'tuple') return 'tuple';
  return `${kind}(${typeName(inner as CtyType)})`;
}

/** Closest name for a "did you mean" hint (edit distance <= 3, or one name a prefix of the other). */
function suggest(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const prefix = name.length >= 3 && (candidate.startsWith(name) || name.startsWith(candidate));
    const distance = prefix ? Math.min(1, editDistance(name, candidate)) : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 99;
}

class Checker {
  public readonly issues: StackIssue[] = [];
  public readonly warnings: StackIssue[] = [];
  private readonly values = new ValueChecker(
    (issue) => this.issues.push(issue),
    (issue) => this.warnings.push(issue),
  );
  private readonly declared = {
    resources: new Map<string, Set<string>>(),
    data: new Map<string, Set<string>>(),
    variables: new Set<string>(),
    locals: new Set<string>(),
    modules: new Set<string>(),
  };
  /** Iterator names of dynamic blocks: references through them are not resource references. */
  private readonly iterators = new Set<string>();

  public constructor(
    private readonly index: Index,
    private readonly rules: ValidatorIndex | undefined,
  ) {}

  private context(address: string, prefix: string, root: JsonObject): ValueContext {
    return { address, prefix, root, reported: new Set() };
  }

  private report(path: string, code: StackIssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  public run(doc: JsonObject): void {
    this.collectDeclarations(doc);
    this.checkRequiredProviders(doc);
    this.checkProviders(doc['provider']);
    this.checkSection(doc['resource'], 'resource');
    this.checkSection(doc['data'], 'data');
    this.checkReferences(doc, '');
  }

  private collectDeclarations(doc: JsonObject): void {
    for (const [section, target] of [
      ['resource', this.declared.resources],
      ['data', this.declared.data],
    ] as const) {
      const value = doc[section];
      if (value === undefined) continue;
      if (!isObject(value)) {
        this.report(section, 'INVALID_STACK_SHAPE', `"${section}" must be an object of types, got ${describe(value)}.`);
        continue;
      }
      for (const [type, instances] of Object.entries(value)) {
        if (isObject(instances)) target.set(type, new Set(Object.keys(instances).filter((name) => name !== '//')));
      }
    }
    for (const [section, target] of [
      ['variable', this.declared.variables],
      ['module', this.declared.modules],
    ] as const) {
      const value = doc[section];
      if (isObject(value)) for (const name of Object.keys(value)) target.add(name);
    }
    const locals = doc['locals'];
    for (const block of Array.isArray(locals) ? locals : [locals]) {
      if (isObject(block)) for (const name of Object.keys(block)) this.declared.locals.add(name);
    }
    this.collectIterators(doc);
  }

  private collectIterators(value: Json): void {
    if (Array.isArray(value)) {
      for (const item of value) this.collectIterators(item);
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'dynamic' && isObject(child)) {
          for (const [blockName, spec] of Object.entries(child)) {
            this.iterators.add(isObject(spec) && typeof spec['iterator'] === 'string' ? spec['iterator'] : blockName);
          }
        }
        this.collectIterators(child);
      }
    }
  }

  /** Providers whose resources are used must be in `terraform.required_providers` with their source. */
  private checkRequiredProviders(doc: JsonObject): void {
    const used = new Set<string>();
    for (const types of [this.declared.resources, this.declared.data]) {
      for (const type of types.keys()) {
        const localName = type.split('_')[0] ?? type;
        if (this.index.providers.has(localName)) used.add(localName);
      }
    }
    const terraform = doc['terraform'];
    const required = isObject(terraform) && isObject(terraform['required_providers']) ? terraform['required_providers'] : {};
    for (const localName of used) {
      const expected = this.index.providers.get(localName)?.source ?? localName;
      const entry = required[localName];
      const source = isObject(entry) ? entry['source'] : undefined;
      if (typeof source !== 'string' || source.toLowerCase().replace(/^registry\.terraform\.io\//, '') !== expected) {
        this.report(
          `terraform.required_providers.${localName}`,
          'REQUIRED_PROVIDER_MISSING',
          `${localName}_* resources are used but terraform.required_providers.${localName} ${entry === undefined ? 'is missing' : `has source ${JSON.stringify(source)}`}; declare it with source "${expected}" (an AlicloudProvider construct in the stack does this).`,
        );
      }
    }
  }

  private checkProviders(providers: Json | undefined): void {
    if (providers === undefined) return;
    if (!isObject(providers)) {
      this.report('provider', 'INVALID_STACK_SHAPE', `"provider" must be an object of provider names, got ${describe(providers)}.`);
      return;
    }
    for (const [name, configs] of Object.entries(providers)) {
      const schema = this.index.providers.get(name)?.block;
      if (!schema) continue;
      const list = Array.isArray(configs) ? configs : [configs];
      list.forEach((config, i) => {
        const path = Array.isArray(configs) ? `provider.${name}[${i}]` : `provider.${name}`;
        if (!isObject(config)) {
          this.report(path, 'WRONG_BLOCK_SHAPE', `the ${name} provider configuration must be an object, got ${describe(config)}.`);
          return;
        }
        const rules = this.rules?.providers.get(name);
        this.checkBlock(config, schema, path, `the ${name} provider`, new Set(['alias', 'version']), rules, this.context(path, path, config));
      });
    }
  }

  private checkSection(section: Json | undefined, kind: 'resource' | 'data'): void {
    if (!isObject(section)) return;
    const schemas = kind === 'resource' ? this.index.resources : this.index.dataSources;
    for (const [type, instances] of Object.entries(section)) {
      if (!isObject(instances)) {
        this.report(`${kind}.${type}`, 'INVALID_STACK_SHAPE', `${kind} type ${type} must map names to bodies, got ${describe(instances)}.`);
        continue;
      }
      const schema = schemas.get(type);
      const providerName = type.split('_')[0] ?? type;
      if (!schema && this.index.providers.has(providerName)) {
        this.report(
          `${kind}.${type}`,
          'UNKNOWN_RESOURCE_TYPE',
          `${kind === 'data' ? 'data source' : 'resource'} type ${type} is not in the provider schema${suggest(type, schemas.keys())}; if it is real, add it to the vendored subset with scripts/vendor-schema.mjs.`,
        );
        continue;
      }
      if (!schema) continue; // another provider (random, tls, ...): bodies are not checked
      for (const [name, body] of Object.entries(instances)) {
        if (name === '//') continue;
        const path = `${kind}.${type}.${name}`;
        if (!isObject(body)) {
          this.report(path, 'WRONG_BLOCK_SHAPE', `${type}.${name} must be an object of arguments, got ${describe(body)}.`);
          continue;
        }
        const rules = (kind === 'resource' ? this.rules?.resources : this.rules?.dataSources)?.get(type);
        const ctx = this.context(kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`, path, body);
        this.values.checkResource(rules, ctx, kind === 'data' ? 'data source' : 'resource');
        this.checkBlock(body, schema, path, type, META_ARGUMENTS, rules, ctx);
      }
    }
  }

  private checkBlock(
    body: JsonObject,
    block: SchemaBlock,
    path: string,
    owner: string,
    meta: ReadonlySet<string>,
    rules?: ValidatorBlock,
    ctx?: ValueContext,
  ): void {
    const attributes = block.attributes ?? {};
    const blockTypes = block.block_types ?? {};
    const dynamicBlocks = new Set<string>();
    for (const [key, value] of Object.entries(body)) {
      if (key === '//' || value === undefined) continue;
      const here = `${path}.${key}`;
      const attribute = attributes[key];
      const blockType = blockTypes[key];
      if (attribute) {
        if (attribute.computed && !attribute.optional && !attribute.required) {
          this.report(here, 'COMPUTED_ATTRIBUTE_SET', `${owner}.${key} is computed by the provider (read-only); remove it from the configuration.`);
        } else {
          this.checkAttributeValue(value, attribute, here, `${owner}.${key}`);
        }
      } else if (blockType) {
        this.checkNestedBlock(value, blockType, here, `${owner}.${key}`, rules?.block_types?.[key], ctx);
      } else if (key === 'dynamic' && isObject(value)) {
        for (const [name, spec] of Object.entries(value)) {
          const nested = blockTypes[name];
          if (!nested) {
            this.report(`${here}.${name}`, 'UNKNOWN_ARGUMENT', `${owner} has no block "${name}" for a dynamic block${suggest(name, Object.keys(blockTypes))}.`);
            continue;
          }
          dynamicBlocks.add(name);
          const content = isObject(spec) ? spec['content'] : undefined;
          if (isObject(content)) {
            this.checkBlock(content, nested.block, `${here}.${name}.content`, `${owner}.${name}`, new Set(), rules?.block_types?.[name]?.block, ctx);
          }
        }
      } else if (!meta.has(key)) {
        this.report(
          here,
          'UNKNOWN_ARGUMENT',
          `${owner} has no attribute or block "${key}"${suggest(key, [...Object.keys(attributes), ...Object.keys(blockTypes)])}; check the spelling (snake_case) against the provider schema.`,
        );
      }
    }
    for (const [name, attribute] of Object.entries(attributes)) {
      if (attribute.required && (body[name] === undefined || body[name] === null)) {
        this.report(`${path}.${name}`, 'MISSING_REQUIRED_ATTRIBUTE', `${owner} requires the attribute "${name}"; set it.`);
      }
    }
    for (const [name, blockType] of Object.entries(blockTypes)) {
      const min = blockType.min_items ?? 0;
      if (min <= 0 || dynamicBlocks.has(name)) continue;
      const value = body[name];
      const count = value === undefined || value === null ? 0 : Array.isArray(value) ? value.length : 1;
      if (count < min) {
        this.report(
          `${path}.${name}`,
          'MISSING_REQUIRED_BLOCK',
          `${owner} requires ${min === 1 ? 'the block' : `at least ${min} items of the block`} "${name}"${count > 0 ? ` (got ${count})` : ''}; add it.`,
        );
      }
    }
    if (ctx) {
      const sensitive = new Set(Object.entries(attributes).filter(([, a]) => a.sensitive === true).map(([name]) => name));
      this.values.checkBlock(body, rules, path, ctx, sensitive);
    }
  }

  private checkNestedBlock(value: Json, blockType: SchemaBlockType, path: string, owner: string, rules?: ValidatorBlockType, ctx?: ValueContext): void {
    const inner = rules?.block;
    const mode = blockType.nesting_mode;
    if (mode === 'single' || mode === 'group') {
      if (!isObject(value)) {
        this.report(path, 'WRONG_BLOCK_SHAPE', `${owner} is a single block: give one object, got ${describe(value)}.`);
        return;
      }
      this.checkBlock(value, blockType.block, path, owner, new Set(), inner, ctx);
      return;
    }
    if (mode === 'map') {
      if (!isObject(value)) {
        this.report(path, 'WRONG_BLOCK_SHAPE', `${owner} is a map of blocks: give an object of labelled objects, got ${describe(value)}.`);
        return;
      }
      for (const [label, item] of Object.entries(value)) {
        if (isObject(item)) this.checkBlock(item, blockType.block, `${path}.${label}`, owner, new Set(), inner, ctx);
        else this.report(`${path}.${label}`, 'WRONG_BLOCK_SHAPE', `${owner}["${label}"] must be an object, got ${describe(item)}.`);
      }
      return;
    }
    // list / set: one object or an array of objects
    const items = Array.isArray(value) ? value : [value];
    if (!Array.isArray(value) && !isObject(value)) {
      this.report(
        path,
        'WRONG_BLOCK_SHAPE',
        `${owner} is a block: give ${blockType.max_items === 1 ? 'an object' : 'an object or an array of objects'}, got ${describe(value)}.`,
      );
      return;
    }
    const max = blockType.max_items ?? 0;
    if (max > 0 && items.length > max) {
      this.report(path, 'TOO_MANY_BLOCKS', `${owner} allows at most ${max} block${max === 1 ? '' : 's'}, got ${items.length}; remove the extra items.`);
    }
    items.forEach((item, i) => {
      const itemPath = Array.isArray(value) ? `${path}[${i}]` : path;
      if (isObject(item)) this.checkBlock(item, blockType.block, itemPath, owner, new Set(), inner, ctx);
      else this.report(itemPath, 'WRONG_BLOCK_SHAPE', `${owner} items must be objects, got ${describe(item)}.`);
    });
  }

  private checkAttributeValue(value: Json, attribute: SchemaAttribute, path: string, owner: string): void {
    if (attribute.type !== undefined) {
      this.checkType(value, attribute.type, path, owner);
      return;
    }
    const nested = attribute.nested_type;
    if (!nested || value === null || (typeof value === 'string' && hasInterpolation(value))) return;
    const asObject: SchemaBlock = { attributes: nested.attributes };
    if (nested.nesting_mode === 'single') {
      if (isObject(value)) this.checkBlock(value, asObject, path, owner, new Set());
      else this.report(path, 'WRONG_TYPE', `${owner} must be an object, got ${describe(value)}.`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isObject(item)) this.checkBlock(item, asObject, `${path}[${i}]`, owner, new Set());
        else this.report(`${path}[${i}]`, 'WRONG_TYPE', `${owner} items must be objects, got ${describe(item)}.`);
      });
    } else {
      this.report(path, 'WRONG_TYPE', `${owner} must be an array of objects, got ${describe(value)}.`);
    }
  }

  /** Terraform's own conversions apply: numbers and bools are valid strings, "12" is a valid number. */
  private checkType(value: Json, type: CtyType, path: string, owner: string): void {
    if (value === null) return;
    if (typeof value === 'string' && hasInterpolation(value)) return; // a token fits any type
    const wrong = () => this.report(path, 'WRONG_TYPE', `${owner} must be ${typeName(type)}, got ${describe(value)}.`);
    if (typeof type === 'string') {
      switch (type) {
        case 'string':
          if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') wrong();
          return;
        case 'number':
          if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value))) wrong();
          return;
        case 'bool':
          if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') wrong();
          return;
        default:
          return; // dynamic
      }
    }
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set') {
      if (!Array.isArray(value)) return wrong();
      value.forEach((item, i) => this.checkType(item, inner as CtyType, `${path}[${i}]`, owner));
    } else if (kind === 'map') {
      if (!isObject(value)) return wrong();
      for (const [key, item] of Object.entries(value)) this.checkType(item, inner as CtyType, `${path}.${key}`, owner);
    } else if (kind === 'object') {
      if (!isObject(value)) return wrong();
      const fields = inner as Record<string, CtyType>;
      for (const [key, item] of Object.entries(value)) {
        const field = fields[key];
        if (field === undefined) {
          this.report(`${path}.${key}`, 'WRONG_TYPE', `${owner} is ${typeName(type)} and has no field "${key}"${suggest(key, Object.keys(fields))}.`);
        } else {
          this.checkType(item, field, `${path}.${key}`, `${owner}.${key}`);
        }
      }
    } else if (kind === 'tuple') {
      const elements = inner as CtyType[];
      if (!Array.isArray(value) || value.length !== elements.length) return wrong();
      value.forEach((item, i) => this.checkType(item, elements[i] as CtyType, `${path}[${i}]`, owner));
    }
  }

  // ---------------------------------------------------------------- references

  private checkReferences(value: Json, path: string): void {
    if (typeof value === 'string') {
      for (const body of findInterpolations(value)) this.checkExpression(body, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkReferences(item, `${path}[${i}]`));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === '//') continue;
        this.checkReferences(child, path === '' ? key : `${path}.${key}`);
      }
    }
  }

  private checkExpression(expression: string, path: string): void {
    const bound = forExpressionNames(expression);
    for (const traversal of findTraversals(expression)) {
      const { root, steps, text } = traversal;
      if (BUILTIN_ROOTS.has(root) || bound.has(root) || this.iterators.has(root)) continue;
      const first = steps[0];
      const firstName = first?.kind === 'attr' ? first.name : undefined;
      if (root === 'var' || root === 'local' || root === 'module') {
        const set = root === 'var' ? this.declared.variables : root === 'local' ? this.declared.locals : this.declared.modules;
        if (firstName !== undefined && !set.has(firstName)) {
          const what = root === 'var' ? 'variable' : root === 'local' ? 'local value' : 'module';
          this.report(path, 'UNDECLARED_REFERENCE', `\${${text}} refers to the ${what} "${firstName}", which the stack does not declare${suggest(firstName, set)}.`);
        }
        continue;
      }
      if (root === 'data') {
        const second = steps[1];
        if (firstName === undefined || second?.kind !== 'attr') continue;
        this.checkResourceReference('data', firstName, second.name, steps.slice(2), text, path);
        continue;
      }
      if (!/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root) || firstName === undefined) continue;
      this.checkResourceReference('resource', root, firstName, steps.slice(1), text, path);
    }
  }

  private checkResourceReference(
    kind: 'resource' | 'data',
    type: string,
    name: string,
    rest: readonly TraversalStep[],
    text: string,
    path: string,
  ): void {
    const declared = (kind === 'resource' ? this.declared.resources : this.declared.data).get(type);
    const label = kind === 'data' ? `data source ${type}.${name}` : `resource ${type}.${name}`;
    if (!declared?.has(name)) {
      this.report(
        path,
        'UNDECLARED_REFERENCE',
        `\${${text}} refers to the ${label}, which the stack does not declare${declared ? suggest(name, declared) : ''}; create it in the same stack or fix the reference.`,
      );
      return;
    }
    // skip instance keys (`[0]`, `["a"]`) of count / for_each resources
    let i = 0;
    while (rest[i]?.kind === 'index') i++;
    const step = rest[i];
    if (step?.kind !== 'attr') return;
    const schema = (kind === 'resource' ? this.index.resources : this.index.dataSources).get(type);
    if (!schema) {
      const known = kind === 'resource' ? OTHER_PROVIDER_ATTRIBUTES[type] : undefined;
      if (known && !known.includes(step.name)) {
        this.report(path, 'UNKNOWN_REFERENCE_ATTRIBUTE', `\${${text}}: ${type} has no attribute "${step.name}"${suggest(step.name, known)}.`);
      }
      return;
    }
    const problem = this.walkBlock(schema, rest.slice(i), type);
    if (problem) this.report(path, 'UNKNOWN_REFERENCE_ATTRIBUTE', `\${${text}}: ${problem}.`);
  }

  /** Follows attribute/index steps through a block; returns a message for the first unknown name. */
  private walkBlock(block: SchemaBlock, steps: readonly TraversalStep[], owner: string): string | undefined {
    const [step, ...rest] = steps;
    if (!step) return undefined;
    if (step.kind === 'index') return this.walkBlock(block, rest, owner);
    const attribute = block.attributes?.[step.name];
    if (attribute) {
      if (attribute.type !== undefined) return this.walkType(attribute.type, rest, `${owner}.${step.name}`);
      const nested = attribute.nested_type;
      return nested ? this.walkBlock({ attributes: nested.attributes }, rest, `${owner}.${step.name}`) : undefined;
    }
    const nested = block.block_types?.[step.name];
    if (nested) return this.walkBlock(nested.block, rest, `${owner}.${step.name}`);
    const names = [...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})];
    return `${owner} has no attribute "${step.name}"${suggest(step.name, names)}`;
  }

  private walkType(type: CtyType, steps: readonly TraversalStep[], owner: string): string | undefined {
    const [step, ...rest] = steps;
    if (!step || typeof type === 'string') return undefined;
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set' || kind === 'map') {
      return step.kind === 'index' || kind === 'map' ? this.walkType(inner as CtyType, rest, owner) : undefined;
    }
    if (kind === 'object' && step.kind === 'attr') {
      const fields = inner as Record<string, CtyType>;
      const field = fields[step.name];
      if (field === undefined) return `${owner} has no attribute "${step.name}"${suggest(step.name, Object.keys(fields))}`;
      return this.walkType(field, rest, `${owner}.${step.name}`);
    }
    return undefined;
  }
}

/**
 * Checks a synthesized Terraform JSON document (`cdk.tf.json`, or the string of `Testing.synth`)
 * against the provider schema vendored in this package, and returns every issue found.
 *
 * Checked: unknown attributes and blocks, missing required attributes and blocks (`min_items`),
 * computed-only attributes that are set, value types (a `${...}` token fits any type), block
 * shapes and `max_items`, resource types unknown to the schema, `required_providers`, and
 * `${...}` references (inside function calls too) to undeclared resources, data sources,
 * variables, locals and modules, or to attributes the referenced type does not have.
 * Resources of providers without a schema (random, tls, local, time, null) are not checked,
 * but references to them must point at declared resources (and, for the common ones, known
 * attributes). Meta-arguments (`count`, `for_each`, `depends_on`, `provider`, `lifecycle`,
 * `connection`, `provisioner`, `timeouts`) and `dynamic` blocks are allowed.
 *
 * Literal values are also checked against the provider's own value validators (vendored from its
 * Go source, `schema/alicloud-provider-validators.json`): enums (case as the provider compares),
 * int/float ranges, lengths, patterns (`regex`, `not_regex`), JSON strings, dates, regular
 * expressions, list sizes, removed attributes, `conflicts_with`, `exactly_one_of`,
 * `at_least_one_of` and `required_with`; each issue names the resource address, the attribute,
 * the value (unless sensitive) and what is allowed. Values with `${...}` are known only at apply
 * and are skipped. Deprecated attributes and types are returned as `warnings`, not issues.
 *
 * @param synthesized - the parsed JSON object or its JSON text
 * @param options - see {@link CheckStackOptions}
 * @returns `{ ok, issues, warnings }`; `ok` is `issues.length === 0`
 * @throws {@link AlicloudProviderError} with code `INVALID_SYNTH_JSON` when the input is not a
 *   JSON object, or `SCHEMA_NOT_FOUND` / `VALIDATORS_NOT_FOUND` when a vendored file is missing from the package
 *
 * @example
 * ```ts
 * import { Testing, TerraformStack } from 'cdktf';
 * import { AlicloudProvider, Instance } from '@ecs-pulse/alicloud-provider';
 * import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
 *
 * const stack = new TerraformStack(Testing.app(), 'test');
 * new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
 * new Instance(stack, 'host', { instanceType: 'ecs.g7.large', imageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd' });
 *
 * const result = checkStack(Testing.synth(stack));
 * expect(result.issues).toEqual([]);
 * ```
 */
export function checkStack(synthesized: string | object, options: CheckStackOptions = {}): StackCheckResult {
  let doc: unknown = synthesized;
  if (typeof synthesized === 'string') {
    try {
      doc = JSON.parse(synthesized);
    } catch (cause) {
      throw new AlicloudProviderError(
        'INVALID_SYNTH_JSON',
        `checkStack: the input string is not JSON (${(cause as Error).message}); pass the content of cdk.tf.json or the result of Testing.synth(stack).`,
        { cause },
      );
    }
  }
  if (!isObject(doc)) {
    throw new AlicloudProviderError(
      'INVALID_SYNTH_JSON',
      `checkStack: expected a Terraform JSON object, got ${describe(doc)}; pass the content of cdk.tf.json or the result of Testing.synth(stack).`,
    );
  }
  const validators = options.validators === false ? undefined : indexValidators(options.validators ?? loadVendoredValidators());
  const checker = new Checker(indexSchema(options.schema ?? loadVendoredSchema()), validators);
  checker.run(doc);
  return { ok: checker.issues.length === 0, issues: checker.issues, warnings: checker.warnings };
}

/**
 * Like {@link checkStack}, but throws a {@link StackSchemaError} (code `STACK_SCHEMA_INVALID`)
 * when there is any issue; its message lists every issue as `path: message [CODE]`, one a line,
 * and `issues` holds them. Convenient in tests.
 *
 * @param synthesized - the parsed JSON object or its JSON text
 * @param options - see {@link CheckStackOptions}
 * @throws {@link StackSchemaError} (`STACK_SCHEMA_INVALID`), or {@link AlicloudProviderError}
 *   (`INVALID_SYNTH_JSON`, `SCHEMA_NOT_FOUND`)
 *
 * @example
 * ```ts
 * import { Testing } from 'cdktf';
 * import { assertValidStack } from '@ecs-pulse/alicloud-provider/testing';
 *
 * assertValidStack(Testing.synth(stack)); // throws with every issue listed
 * ```
 */
export function assertValidStack(synthesized: string | object, options: CheckStackOptions = {}): void {
  const { issues } = checkStack(synthesized, options);
  if (issues.length > 0) throw new StackSchemaError(issues);
}
