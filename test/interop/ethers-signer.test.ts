// Interop with @rumblefishdev/eth-signer-kms 4.3.1 + ethers 6.17.0, the common Ethereum KMS signer: it
// reads the address with GetPublicKey, signs Keccak digests with Sign (ECDSA_SHA_256, MessageType DIGEST,
// ECC_SECG_P256K1), normalizes s and finds the recovery bit itself; ethers must recover our address.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { KMSSigner } from '@rumblefishdev/eth-signer-kms';
import { computeAddress, Transaction, verifyMessage, verifyTypedData } from 'ethers';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
// The address from the stored public key, independently of GetPublicKey: the SPKI ends in the 65-byte point.
const materials = await t.store.transaction((tx) => tx.listMaterials({ account: ACCOUNT, region: REGION, keyId }));
const spki = Buffer.from(materials[0]!.publicKey!);
const address = computeAddress('0x' + spki.subarray(spki.length - 65).toString('hex'));
// Signing needs no chain: every transaction field is given, so no provider is consulted.
const signer = await KMSSigner.create(null as unknown as Parameters<typeof KMSSigner.create>[0], keyId, kms);

test('KMSSigner derives the address of the key', async () => {
  assert.equal(await signer.getAddress(), address);
});

test('signMessage recovers to the signer address (several times: s is high about half the time)', async () => {
  for (let i = 0; i < 6; i++) {
    const text = `hello from Trent #${i}`;
    const signature = await signer.signMessage(text);
    assert.equal(verifyMessage(text, signature), address);
    assert.notEqual(verifyMessage(`${text}!`, signature), address);
  }
});

test('signTransaction gives a transaction whose sender is the signer address', async () => {
  const raw = await signer.signTransaction({
    type: 2,
    chainId: 11155111n,
    nonce: 7,
    to: '0x000000000000000000000000000000000000dEaD',
    value: 12345n,
    gasLimit: 21000n,
    maxFeePerGas: 30_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  });
  const tx = Transaction.from(raw);
  assert.equal(tx.from, address);
  assert.equal(tx.nonce, 7);
  assert.equal(tx.value, 12345n);
});

test('signTypedData recovers to the signer address', async () => {
  const domain = { name: 'Trent', version: '1', chainId: 1 };
  const types = { Mail: [{ name: 'to', type: 'address' }, { name: 'contents', type: 'string' }] };
  const value = { to: '0x000000000000000000000000000000000000dEaD', contents: 'hi' };
  const signature = await signer.signTypedData(domain, types, value);
  assert.equal(verifyTypedData(domain, types, value, signature), address);
});
