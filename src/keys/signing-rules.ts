// What Sign/Verify and GenerateMac/VerifyMac accept for a key, checked before any cryptography, with
// AWS's error texts. Sources: API_Sign/API_Verify MessageType docs (botocore model), LS-snap
// test_invalid_generate_mac ("Algorithm <alg> is incompatible with key spec <spec>."), and the
// DIGEST length error recorded from AWS ("Digest is invalid length for algorithm ECDSA_SHA_256.",
// awslabs/aws-sdk-rust discussion #571).
import { KmsError } from '../errors.ts';
import { algorithmsFor } from './key-spec.ts';

/** Length of Message for MessageType DIGEST, per signing algorithm (the hash output length). */
export const DIGEST_LENGTHS: Readonly<Record<string, number>> = {
  RSASSA_PKCS1_V1_5_SHA_256: 32,
  RSASSA_PKCS1_V1_5_SHA_384: 48,
  RSASSA_PKCS1_V1_5_SHA_512: 64,
  RSASSA_PSS_SHA_256: 32,
  RSASSA_PSS_SHA_384: 48,
  RSASSA_PSS_SHA_512: 64,
  ECDSA_SHA_256: 32,
  ECDSA_SHA_384: 48,
  ECDSA_SHA_512: 64,
  ED25519_PH_SHA_512: 64,
  SM2DSA: 32,
};

/** Length of Message for MessageType EXTERNAL_MU (FIPS 204 §6.2 μ). */
export const EXTERNAL_MU_LENGTH = 64;

/** The MessageTypes each signing algorithm accepts. */
const MESSAGE_TYPES: Readonly<Record<string, readonly string[]>> = {
  // API_Sign: "ED25519_SHA_512 signing algorithm requires KMS MessageType:RAW".
  ED25519_SHA_512: ['RAW'],
  // API_Sign: "ED25519_PH_SHA_512 signing algorithm requires KMS MessageType:DIGEST" (and KMS still
  // applies the SHA-512 prehash to that digest).
  ED25519_PH_SHA_512: ['DIGEST'],
  ML_DSA_SHAKE_256: ['RAW', 'EXTERNAL_MU'],
};
const DEFAULT_MESSAGE_TYPES = ['RAW', 'DIGEST'];

export const messageTypesFor = (algorithm: string): readonly string[] => MESSAGE_TYPES[algorithm] ?? DEFAULT_MESSAGE_TYPES;

/** InvalidKeyUsageException unless `algorithm` is listed for the key (SigningAlgorithms or MacAlgorithms). */
export function assertAlgorithmForKey(keySpec: string, keyUsage: string, algorithm: string): void {
  const allowed = algorithmsFor(keySpec, keyUsage)?.algorithms ?? [];
  if (!allowed.includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);
  }
}

/**
 * ValidationException unless the MessageType suits the algorithm and the message's length suits the
 * MessageType. The wording of the MessageType errors is not recorded from AWS; it follows the
 * "incompatible with" family AWS uses for algorithms (Ed25519 rules are per algorithm, others per spec).
 */
export function assertMessageType(keySpec: string, algorithm: string, messageType: string, message: Buffer): void {
  if (!messageTypesFor(algorithm).includes(messageType)) {
    const subject = algorithm.startsWith('ED25519') ? `algorithm ${algorithm}` : `key spec ${keySpec}`;
    throw new KmsError('ValidationException', `Message type ${messageType} is incompatible with ${subject}.`);
  }
  if (messageType === 'DIGEST' && message.length !== DIGEST_LENGTHS[algorithm]) {
    throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  }
  if (messageType === 'EXTERNAL_MU' && message.length !== EXTERNAL_MU_LENGTH) {
    throw new KmsError('ValidationException', `External Mu is invalid length for algorithm ${algorithm}.`);
  }
}

/** All request checks of Sign and Verify after the key usage. */
export function assertSigningRequest(keySpec: string, algorithm: string, messageType: string, message: Buffer): void {
  assertAlgorithmForKey(keySpec, 'SIGN_VERIFY', algorithm);
  assertMessageType(keySpec, algorithm, messageType, message);
}
