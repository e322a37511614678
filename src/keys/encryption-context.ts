// The encryption context as authenticated data: a canonical, injective byte encoding, so two different
// contexts never bind the same way (pairs sorted by key in UTF-8 byte order, every string length-prefixed).

const EMPTY = Buffer.alloc(0);

/** Canonical bytes of an encryption context; empty for none (absent and {} are the same context, as in AWS). */
export function canonicalEncryptionContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  if (context === undefined) return EMPTY;
  const entries = Object.entries(context).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  if (entries.length === 0) return EMPTY;
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  const parts: Buffer[] = [u32(entries.length)];
  for (const [k, v] of entries) parts.push(u32(k.length), k, u32(v.length), v);
  return Buffer.concat(parts);
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}
