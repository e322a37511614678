// KeySpec → the key usages it allows and the algorithms KeyMetadata lists for each usage
// (API Reference CreateKey and KeyMetadata; spec §5.3). Algorithm order is the order AWS returns.

export type AlgorithmField = 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms';

interface UsageAlgorithms {
  field: AlgorithmField;
  algorithms: readonly string[];
}

const RSA_ENCRYPT: UsageAlgorithms = { field: 'EncryptionAlgorithms', algorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
// PKCS #1 v1.5 before PSS, as DescribeKey returns them (aws-cli examples/kms/describe-key.rst, RSA_2048 SIGN_VERIFY).
const RSA_SIGN: UsageAlgorithms = {
  field: 'SigningAlgorithms',
  algorithms: [
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
  ],
};
const ECDH: UsageAlgorithms = { field: 'KeyAgreementAlgorithms', algorithms: ['ECDH'] };
const sign = (...algorithms: string[]): UsageAlgorithms => ({ field: 'SigningAlgorithms', algorithms });
const mac = (algorithm: string): UsageAlgorithms => ({ field: 'MacAlgorithms', algorithms: [algorithm] });

/** For each KeySpec, the usages it allows (first one is not a default: only SYMMETRIC_DEFAULT has one). */
export const KEY_SPECS: Readonly<Record<string, Readonly<Record<string, UsageAlgorithms>>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: { field: 'EncryptionAlgorithms', algorithms: ['SYMMETRIC_DEFAULT'] } },
  RSA_2048: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  RSA_3072: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  RSA_4096: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  ECC_NIST_P256: { SIGN_VERIFY: sign('ECDSA_SHA_256'), KEY_AGREEMENT: ECDH },
  ECC_NIST_P384: { SIGN_VERIFY: sign('ECDSA_SHA_384'), KEY_AGREEMENT: ECDH },
  ECC_NIST_P521: { SIGN_VERIFY: sign('ECDSA_SHA_512'), KEY_AGREEMENT: ECDH },
  ECC_SECG_P256K1: { SIGN_VERIFY: sign('ECDSA_SHA_256') },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: sign('ED25519_SHA_512', 'ED25519_PH_SHA_512') },
  ML_DSA_44: { SIGN_VERIFY: sign('ML_DSA_SHAKE_256') },
  ML_DSA_65: { SIGN_VERIFY: sign('ML_DSA_SHAKE_256') },
  ML_DSA_87: { SIGN_VERIFY: sign('ML_DSA_SHAKE_256') },
  HMAC_224: { GENERATE_VERIFY_MAC: mac('HMAC_SHA_224') },
  HMAC_256: { GENERATE_VERIFY_MAC: mac('HMAC_SHA_256') },
  HMAC_384: { GENERATE_VERIFY_MAC: mac('HMAC_SHA_384') },
  HMAC_512: { GENERATE_VERIFY_MAC: mac('HMAC_SHA_512') },
  SM2: {
    ENCRYPT_DECRYPT: { field: 'EncryptionAlgorithms', algorithms: ['SM2PKE'] },
    SIGN_VERIFY: sign('SM2DSA'),
    KEY_AGREEMENT: ECDH,
  },
};

export const isSymmetricEncryption = (keySpec: string): boolean => keySpec === 'SYMMETRIC_DEFAULT';
export const isHmac = (keySpec: string): boolean => keySpec.startsWith('HMAC_');

/** The algorithm field of KeyMetadata for a valid spec/usage pair. */
export function algorithmsFor(keySpec: string, keyUsage: string): UsageAlgorithms | undefined {
  return KEY_SPECS[keySpec]?.[keyUsage];
}
