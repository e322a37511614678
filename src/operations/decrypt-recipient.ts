// `Recipient` (a Nitro Enclaves / NitroTPM attestation document) on Decrypt, GenerateDataKey(Pair),
// DeriveSharedSecret and GenerateRandom. Trent cannot verify an attestation signed by the AWS Nitro PKI, and
// answering in plaintext would defeat its purpose, so the request is refused rather than half-served.
import { KmsError } from '../errors.ts';

export function refuseRecipient(input: Record<string, unknown>): void {
  if (input.Recipient !== undefined) {
    throw new KmsError(
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  }
}
