// DeriveSharedSecret — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html
// Checks: resolve key (any identifier) → state → authorize → KEY_AGREEMENT usage → Recipient → peer key →
// DryRun → raw ECDH secret of the key's private key and the peer's SPKI (KeyAgreementAlgorithm is the model's ECDH).
import type { Handler } from '../context.ts';
import { EC_CURVES } from '../crypto/key-generation.ts';
import { parseEcSpki } from '../crypto/ec-keys.ts';
import { ecdhSharedSecret } from '../crypto/key-agreement.ts';
import { KmsError } from '../errors.ts';
import { openMaterial, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { refuseRecipient } from './decrypt-recipient.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

/**
 * A peer key that is not an EC SPKI: AWS answers ValidationException with an empty message (LS-snap
 * test_derive_shared_secret "response-invalid-public-key", recorded against AWS without a message exemption).
 * A well-formed key on another curve, or a point off the curve, is the same kind of bad input: same answer.
 */
const invalidPublicKey = () => new KmsError('ValidationException', '');


export const deriveSharedSecret: Handler = (input, ctx) =>
  withKey(ctx, 'DeriveSharedSecret', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    refuseRecipient(input);
    const curve = EC_CURVES[key.keySpec];
    const peer = parseEcSpki(input.PublicKey as Buffer);
    if (curve === undefined || !peer || peer.curve !== curve) throw invalidPublicKey();
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    const secret = await ecdhSharedSecret(openMaterial(ctx.vault, material), curve, input.PublicKey as Buffer);
    if (!secret) throw invalidPublicKey();
    recordUse(ctx, key, 'DeriveSharedSecret');
    return { KeyId: arn, SharedSecret: secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: key.origin };
  });
