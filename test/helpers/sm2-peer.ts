// An SM2 ECDH peer for tests, independent of Trent's own code: @noble/curves with the SM2 curve's published
// parameters (GB/T 32918.5), since the OpenSSL of Node 24 refuses ECDH on that curve.
import { ecdh, weierstrass } from '@noble/curves/abstract/weierstrass.js';

const Point = weierstrass({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});
const sm2 = ecdh(Point);

/** The SPKI prefix of an SM2 public key: id-ecPublicKey with the SM2 curve OID, then the 65-byte point. */
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

export interface Sm2Peer {
  /** The peer's public key as an SPKI, as DeriveSharedSecret takes it. */
  spki: Buffer;
  /** The raw shared x-coordinate with the holder of `point` (an uncompressed point). */
  secretWith(point: Uint8Array): Buffer;
}

export function sm2Peer(): Sm2Peer {
  const { secretKey } = sm2.keygen();
  return {
    spki: Buffer.concat([SPKI_PREFIX, sm2.getPublicKey(secretKey, false)]),
    secretWith: (point) => Buffer.from(sm2.getSharedSecret(secretKey, point)).subarray(1),
  };
}
