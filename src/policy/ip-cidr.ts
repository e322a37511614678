// IPv4/IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress. An address without a prefix is
// a single host (/32 or /128), as IAM reads "203.0.113.5".

export interface Cidr {
  v6: boolean;
  base: bigint;
  bits: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  let tail: bigint[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) supplies the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const head = text.slice(0, lastColon + 1);
    text = head.endsWith('::') ? head : head.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (g: string): bigint | undefined => (/^[0-9a-fA-F]{1,4}$/.test(g) ? BigInt(parseInt(g, 16)) : undefined);
  const read = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      const v = group(g);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const head = read(halves[0]!);
  const rest = halves.length === 2 ? read(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length + tail.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    groups = [...head, ...new Array<bigint>(8 - given).fill(0n), ...rest, ...tail];
  } else {
    if (given !== 8) return undefined;
    groups = [...head, ...tail];
  }
  return groups.reduce((n, g) => (n << 16n) | g, 0n);
}

export function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  if (s.includes(':')) {
    const value = parseV6(s);
    return value === undefined ? undefined : { v6: true, value };
  }
  const value = parseV4(s);
  return value === undefined ? undefined : { v6: false, value };
}

export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
    bits = Number(p);
  }
  const shift = BigInt(max - bits);
  return { v6: ip.v6, base: (ip.value >> shift) << shift, bits };
}

export function cidrContains(c: Cidr, address: string): boolean {
  const ip = parseIp(address);
  if (ip === undefined || ip.v6 !== c.v6) return false;
  const shift = BigInt((c.v6 ? 128 : 32) - c.bits);
  return (ip.value >> shift) << shift === c.base;
}
