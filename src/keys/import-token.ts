// Import tokens are self-contained: the wrapping private key and what it may be used for, sealed by the root
// key (vault.sealToken), so no table holds issued parameters. Each set is valid for 24 hours
// (GetParametersForImport: "Each public key and import token set is valid for 24 hours").
import type { KeyRef } from '../store/store.ts';
import type { MaterialVault } from './vault.ts';

const PURPOSE = 'import token';
export const IMPORT_PARAMETERS_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface ImportTokenPayload extends KeyRef {
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  /** ParametersValidTo, epoch ms. */
  validTo: number;
  /** PKCS #8 DER of the wrapping private key. */
  privateKey: Buffer;
}

export function sealImportToken(vault: MaterialVault, p: ImportTokenPayload): Buffer {
  const json = JSON.stringify({
    v: 1,
    a: p.account,
    r: p.region,
    k: p.keyId,
    alg: p.wrappingAlgorithm,
    spec: p.wrappingKeySpec,
    exp: p.validTo,
    pk: p.privateKey.toString('base64'),
  });
  return vault.sealToken(Buffer.from(json), PURPOSE);
}

/** The token's payload, or undefined if this root key did not seal it as an import token. */
export function openImportToken(vault: MaterialVault, token: Uint8Array): ImportTokenPayload | undefined {
  const opened = vault.openToken(token, PURPOSE);
  if (opened === undefined) return undefined;
  try {
    const j = JSON.parse(opened.toString()) as Record<string, unknown>;
    if (j.v !== 1) return undefined;
    return {
      account: String(j.a),
      region: String(j.r),
      keyId: String(j.k),
      wrappingAlgorithm: String(j.alg),
      wrappingKeySpec: String(j.spec),
      validTo: Number(j.exp),
      privateKey: Buffer.from(String(j.pk), 'base64'),
    };
  } catch {
    return undefined;
  }
}
