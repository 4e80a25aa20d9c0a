import { isIPv4, isIPv6 } from 'node:net';

/** A parsed, valid CIDR. @internal */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefix: number;
  /** Whether it covers every address of its family (`0.0.0.0/0`, `::/0`). */
  readonly everywhere: boolean;
}

/** The result of checking one CIDR: the parsed value, or a problem text saying how to fix it. @internal */
export type CidrCheck = { readonly ok: true; readonly cidr: ParsedCidr } | { readonly ok: false; readonly problem: string };

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Check a CIDR such as `203.0.113.0/24` or `2001:db8::/32`. IPv4 host bits must be zero (the message
 * suggests the network address), and a bare address must carry its prefix (`/32`).
 * @internal
 */
export function checkCidr(value: string): CidrCheck {
  const text = value.trim();
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (isIPv4(text)) return { ok: false, problem: `"${value}" has no prefix length; for one address write "${text}/32".` };
    if (isIPv6(text)) return { ok: false, problem: `"${value}" has no prefix length; for one address write "${text}/128".` };
    return { ok: false, problem: `"${value}" is not a CIDR; write it like "203.0.113.0/24" or "2001:db8::/32".` };
  }
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family === 0) {
    return { ok: false, problem: `"${value}" is not a CIDR: "${address}" is not an IP address; write it like "203.0.113.0/24".` };
  }
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, problem: `"${value}" has an invalid prefix length "/${prefixText}"; use /0 to /${max}.` };
  }
  const prefix = Number(prefixText);
  if (family === 4) {
    const n = ipv4ToInt(address);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(n / size) * size;
    if (network !== n) {
      return {
        ok: false,
        problem: `"${value}" has host bits set; did you mean "${intToIpv4(network)}/${prefix}"?`,
      };
    }
  }
  return { ok: true, cidr: { family, address, prefix, everywhere: prefix === 0 } };
}

/**
 * The `index`-th subnet of prefix `newPrefix` inside an IPv4 CIDR (like Terraform's `cidrsubnet`).
 * @internal
 */
export function ipv4Subnet(cidr: string, newPrefix: number, index: number): string {
  const [address = '', prefixText = ''] = cidr.split('/');
  const base = ipv4ToInt(address);
  const prefix = Number(prefixText);
  if (newPrefix < prefix || newPrefix > 32 || index < 0 || index >= 2 ** (newPrefix - prefix)) {
    throw new RangeError(`cannot take subnet ${index} of /${newPrefix} inside ${cidr}`);
  }
  return `${intToIpv4(base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}
