// Reading DER (X.690) by hand, for the few places node:crypto cannot parse a structure for us (SM2 keys, the
// ciphertext SEQUENCE of SM2PKE, raw EC scalars and points). Bounds are checked: malformed input is undefined.

export interface Tlv {
  tag: number;
  /** Offset of the value's first byte. */
  start: number;
  /** Offset just after this element. */
  end: number;
  body: Buffer;
}

/** The element at `at`, or undefined when it does not fit in `buf` (lengths up to 3 bytes, as keys need). */
export function readTlv(buf: Buffer, at: number): Tlv | undefined {
  if (at + 2 > buf.length) return undefined;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) return undefined;
  return { tag, start, end, body: buf.subarray(start, end) };
}

/** The children of a constructed element; undefined unless they exactly fill it. */
export function children(body: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length; ) {
    const t = readTlv(body, at);
    if (!t) return undefined;
    out.push(t);
    at = t.end;
  }
  return out;
}
