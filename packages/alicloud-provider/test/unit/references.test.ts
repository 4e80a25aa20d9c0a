import { describe, expect, it } from 'vitest';
import { findInterpolations, findTraversals, forExpressionNames } from '../../src/testing/references.js';

const texts = (expression: string) => findTraversals(expression).map((t) => t.text);

describe('Method: findInterpolations', () => {
  it('returns the bodies of top-level interpolations', () => {
    expect(findInterpolations('a ${var.x} b ${alicloud_vpc.v.id}')).toEqual(['var.x', 'alicloud_vpc.v.id']);
  });

  it('skips the $${ escape and unterminated interpolations', () => {
    expect(findInterpolations('$${var.x} and ${var.y')).toEqual([]);
  });

  it('keeps braces and quoted braces inside a body', () => {
    expect(findInterpolations('${jsonencode({ a = "}" })}')).toEqual(['jsonencode({ a = "}" })']);
  });
});

describe('Method: findTraversals', () => {
  it('finds references inside function calls', () => {
    expect(texts('base64encode(random_password.t.result)')).toEqual(['random_password.t.result']);
  });

  it('keeps index and splat steps', () => {
    const [zones] = findTraversals('data.alicloud_zones.z.zones[0].id');
    expect(zones?.root).toBe('data');
    expect(zones?.steps).toEqual([
      { kind: 'attr', name: 'alicloud_zones' },
      { kind: 'attr', name: 'z' },
      { kind: 'attr', name: 'zones' },
      { kind: 'index' },
      { kind: 'attr', name: 'id' },
    ]);
    expect(findTraversals('alicloud_instance.h.*.public_ip')[0]?.steps).toEqual([
      { kind: 'attr', name: 'h' },
      { kind: 'index' },
      { kind: 'attr', name: 'public_ip' },
    ]);
  });

  it('finds references in index expressions and nested templates', () => {
    expect(texts('alicloud_instance.h[count.index].id')).toEqual(['count.index', 'alicloud_instance.h[count.index].id']);
    expect(texts('format("%s-${var.name}", local.suffix)')).toEqual(['var.name', 'local.suffix']);
  });

  it('ignores string contents and function names', () => {
    expect(texts('lookup(var.m, "alicloud_vpc.v.id")')).toEqual(['var.m']);
    expect(texts('upper("x")')).toEqual([]);
  });
});

describe('Method: forExpressionNames', () => {
  it('returns the names bound by for expressions', () => {
    expect([...forExpressionNames('[for k, my_item in var.m : my_item.id]')]).toEqual(['k', 'my_item']);
    expect([...forExpressionNames('var.format')]).toEqual([]);
  });
});
