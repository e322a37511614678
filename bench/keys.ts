// Set-up through the real SDK: the keys the bench rows act on, created on one Trent server by one caller,
// optionally with a key policy and extra tags (the authorization-on server's keys carry both).
import { CreateKeyCommand, EncryptCommand, KMSClient, ListResourceTagsCommand, type Tag } from '@aws-sdk/client-kms';
import { CREDENTIALS, REGION, type Credentials } from './sign.ts';

export interface BenchKeys {
  taggedKeyId: string;
  tagTargetKeyId: string;
  /** SYMMETRIC_DEFAULT key for Encrypt, Decrypt and GenerateDataKey. */
  encryptKeyId: string;
  /** Base64 ciphertext of PLAINTEXT under encryptKeyId, for Decrypt. */
  ciphertext: string;
  /** ECC_NIST_P256 SIGN_VERIFY key for Sign. */
  signKeyId: string;
}

/** 64 bytes: a typical small secret or data key sent to Encrypt. */
export const PLAINTEXT = Buffer.alloc(64, 0x61);

export interface KeyOptions {
  credentials?: Credentials;
  /** Key policy of every key (default: AWS's default policy). */
  policy?: string;
  /** Tags every key gets besides its own. */
  tags?: Tag[];
}

export function benchClient(url: string, credentials: Credentials = CREDENTIALS): KMSClient {
  return new KMSClient({ endpoint: url, region: REGION, credentials, maxAttempts: 1 });
}

export async function setUpKeys(url: string, opts: KeyOptions = {}): Promise<BenchKeys> {
  const client = benchClient(url, opts.credentials);
  const extra = opts.tags ?? [];
  const create = (input: { Description: string; Tags?: Tag[]; KeySpec?: 'ECC_NIST_P256'; KeyUsage?: 'SIGN_VERIFY' }) =>
    client.send(new CreateKeyCommand({ ...input, Tags: [...(input.Tags ?? []), ...extra], ...(opts.policy ? { Policy: opts.policy } : {}) }));
  try {
    const Tags = Array.from({ length: 10 }, (_, i) => ({ TagKey: `tag-${i}`, TagValue: `value-${i}` }));
    const tagged = await create({ Description: 'bench: key with 10 tags', Tags });
    const target = await create({ Description: 'bench: TagResource target' });
    const taggedKeyId = tagged.KeyMetadata!.KeyId!;
    const listed = await client.send(new ListResourceTagsCommand({ KeyId: taggedKeyId }));
    if (listed.Tags?.length !== 10 + extra.length) throw new Error(`set-up: expected ${10 + extra.length} tags, got ${listed.Tags?.length}`);
    const encryptKey = await create({ Description: 'bench: symmetric encryption key' });
    const encryptKeyId = encryptKey.KeyMetadata!.KeyId!;
    const encrypted = await client.send(new EncryptCommand({ KeyId: encryptKeyId, Plaintext: PLAINTEXT }));
    const signKey = await create({ Description: 'bench: signing key', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    return {
      taggedKeyId,
      tagTargetKeyId: target.KeyMetadata!.KeyId!,
      encryptKeyId,
      ciphertext: Buffer.from(encrypted.CiphertextBlob!).toString('base64'),
      signKeyId: signKey.KeyMetadata!.KeyId!,
    };
  } finally {
    client.destroy();
  }
}
