// The checks Sign/Verify and GenerateMac/VerifyMac each share, in AWS's order (key usage → algorithm of the
// key spec → message type and digest length → DryRun), and the current material the pair then uses.
import type { Ctx } from '../context.ts';
import type { MessageType } from '../crypto/signing.ts';
import { openMaterial, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { assertAlgorithmForKey, assertSigningRequest } from '../keys/signing-rules.ts';
import type { KeyMaterialRecord, KeyRecord, Tx } from '../store/store.ts';
import { stopIfDryRun } from './dry-run.ts';

export interface SigningInput {
  algorithm: string;
  messageType: MessageType;
  message: Buffer;
  material: KeyMaterialRecord;
}

export async function signingInput(
  tx: Tx,
  input: Record<string, unknown>,
  key: KeyRecord,
  arn: string,
  operation: 'Sign' | 'Verify',
): Promise<SigningInput> {
  assertKeyUsage(key, arn, 'SIGN_VERIFY', operation);
  const algorithm = input.SigningAlgorithm as string;
  const messageType = ((input.MessageType as string | undefined) ?? 'RAW') as MessageType;
  const message = input.Message as Buffer;
  assertSigningRequest(key.keySpec, algorithm, messageType, message);
  stopIfDryRun(input);
  return { algorithm, messageType, message, material: await requireCurrentMaterial(tx, key, arn) };
}

/** The MAC algorithm and the opened HMAC key. */
export async function macInput(
  tx: Tx,
  ctx: Ctx,
  input: Record<string, unknown>,
  key: KeyRecord,
  arn: string,
  operation: 'GenerateMac' | 'VerifyMac',
): Promise<{ algorithm: string; secret: Buffer }> {
  assertKeyUsage(key, arn, 'GENERATE_VERIFY_MAC', operation);
  const algorithm = input.MacAlgorithm as string;
  assertAlgorithmForKey(key.keySpec, key.keyUsage, algorithm);
  stopIfDryRun(input);
  return { algorithm, secret: openMaterial(ctx.vault, await requireCurrentMaterial(tx, key, arn)) };
}
