// The rows of the bench: which KMS operation each sends, with which request bodies (replayed round-robin).
import { PLAINTEXT, type BenchKeys } from './keys.ts';

export interface Operation {
  label: string;
  name: string;
  /** Request bodies, replayed round-robin. */
  inputs: (k: BenchKeys) => unknown[];
}

const tagInput = (k: BenchKeys, value: string) => ({ KeyId: k.tagTargetKeyId, Tags: [{ TagKey: 'bench', TagValue: value }] });

export const OPERATIONS: Operation[] = [
  { label: 'ListResourceTags', name: 'ListResourceTags', inputs: (k) => [{ KeyId: k.taggedKeyId }] },
  // One tag whose value alternates, so that every request writes (and, with synchronous=FULL, waits for its
  // fsync), while the key never passes 50 tags.
  { label: 'TagResource', name: 'TagResource', inputs: (k) => [tagInput(k, 'x'), tagInput(k, 'y')] },
  // A new symmetric key each time: key generation, the default policy, the key and material rows, an fsync.
  { label: 'CreateKey', name: 'CreateKey', inputs: () => [{}] },
  { label: 'DescribeKey', name: 'DescribeKey', inputs: (k) => [{ KeyId: k.taggedKeyId }] },
  { label: 'Encrypt', name: 'Encrypt', inputs: (k) => [{ KeyId: k.encryptKeyId, Plaintext: PLAINTEXT.toString('base64') }] },
  { label: 'Decrypt', name: 'Decrypt', inputs: (k) => [{ CiphertextBlob: k.ciphertext }] },
  { label: 'GenerateDataKey', name: 'GenerateDataKey', inputs: (k) => [{ KeyId: k.encryptKeyId, KeySpec: 'AES_256' }] },
  // ECC_NIST_P256 key, ECDSA_SHA_256 over a 13-byte RAW message.
  {
    label: 'Sign',
    name: 'Sign',
    inputs: (k) => [{ KeyId: k.signKeyId, Message: Buffer.from('bench message').toString('base64'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }],
  },
];
