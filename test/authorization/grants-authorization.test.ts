// Grants as a source of permission, through the real SDK: a grantee with no policy, encryption-context
// constraints, retire and revoke taking effect at once, CreateGrant through a grant (narrower only),
// grants to an account, explicit denies over grants, and the grant condition keys on CreateGrant.
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  RetireGrantCommand,
  RevokeGrantCommand,
  type CreateGrantCommandInput,
  type GrantOperation,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT_A, allow, keyPolicyText, keyStatement, policy, role, root, rootArn, rootStatement, user, type TestPrincipal } from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const admin = root(ACCOUNT_A);
const gus = user(ACCOUNT_A, 'gus');
const gina = user(ACCOUNT_A, 'gina');
const worker = role(ACCOUNT_A, 'Worker', { sessionName: 'job-7' });
const iamEncrypt = user(ACCOUNT_A, 'iam-encrypt', { policies: [policy(allow('kms:Encrypt'))] });
const granter = user(ACCOUNT_A, 'granter', {
  policies: [
    policy(
      allow('kms:CreateGrant', '*', {
        'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'Decrypt'] },
        StringLike: { 'kms:GranteePrincipal': `arn:aws:iam::${ACCOUNT_A}:user/g*` },
      }),
    ),
  ],
});
const constrainedGranter = user(ACCOUNT_A, 'constrained-granter', {
  policies: [policy(allow('kms:CreateGrant', '*', { StringEquals: { 'kms:GrantConstraintType': 'EncryptionContextEquals' } }))],
});

const t = await startTestServer({ principals: [admin, gus, gina, worker, iamEncrypt, granter, constrainedGranter].map((p) => p.config) });
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);

const PLAINTEXT = new TextEncoder().encode('granted');
const newKey = async (Policy?: string) => (await kms.send(new CreateKeyCommand(Policy ? { Policy } : {}))).KeyMetadata!;
const grant = async (KeyId: string, GranteePrincipal: string, Operations: GrantOperation[], extra: Partial<CreateGrantCommandInput> = {}, client = kms) =>
  client.send(new CreateGrantCommand({ KeyId, GranteePrincipal, Operations, ...extra }));
const encrypt = (p: TestPrincipal, KeyId: string, EncryptionContext?: Record<string, string>) =>
  as(p).send(new EncryptCommand({ KeyId, Plaintext: PLAINTEXT, ...(EncryptionContext ? { EncryptionContext } : {}) }));
const denied = (p: TestPrincipal, action: string, resource: string, why = `because no identity-based policy allows the ${action} action`) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

describe('a grant gives its operations to a grantee with no policy', () => {
  test('Encrypt and Decrypt through the grant; other operations stay refused', async () => {
    const key = await newKey();
    await expectError(encrypt(gus, key.KeyId!), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
    await grant(key.KeyId!, gus.arn, ['Encrypt', 'Decrypt']);
    const ct = (await encrypt(gus, key.Arn!)).CiphertextBlob;
    assert.deepEqual((await as(gus).send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext, PLAINTEXT);
    await expectError(
      as(gus).send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' })),
      'AccessDeniedException',
      denied(gus, 'kms:GenerateDataKey', key.Arn!),
    );
    // The grant is for gus only.
    await expectError(encrypt(gina, key.KeyId!), 'AccessDeniedException', denied(gina, 'kms:Encrypt', key.Arn!));
  });

  test('a grant works even when the key policy does not let IAM decide', async () => {
    const key = await newKey(keyPolicyText(keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:CreateGrant'])));
    await grant(key.KeyId!, gus.arn, ['Encrypt']);
    await encrypt(gus, key.KeyId!);
  });

  test('a grant to a role serves its sessions', async () => {
    const key = await newKey();
    await grant(key.KeyId!, worker.arn, ['Encrypt']);
    await encrypt(worker, key.KeyId!);
  });

  test('an explicit Deny in the key policy beats a grant', async () => {
    // "No AWS principal has any permissions to a KMS key unless that permission is provided explicitly and
    // never denied." (DG control-access.html)
    const key = await newKey(keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', gus.arn, 'kms:Encrypt')));
    await grant(key.KeyId!, gus.arn, ['Encrypt']);
    await expectError(encrypt(gus, key.KeyId!), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!, 'with an explicit deny in a resource-based policy'));
  });
});

describe('a grant to an account', () => {
  test("lets the account's IAM policies decide, even where the key policy does not", async () => {
    const key = await newKey(keyPolicyText(keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:CreateGrant'])));
    const refused = denied(iamEncrypt, 'kms:Encrypt', key.Arn!, 'because no resource-based policy allows the kms:Encrypt action');
    await expectError(encrypt(iamEncrypt, key.KeyId!), 'AccessDeniedException', refused);
    await grant(key.KeyId!, rootArn(ACCOUNT_A), ['Encrypt']);
    await encrypt(iamEncrypt, key.KeyId!);
    // gus has no IAM policy: the account's grant does not reach him.
    await expectError(encrypt(gus, key.KeyId!), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!, 'because no resource-based policy allows the kms:Encrypt action'));
  });
});

describe('encryption-context constraints', () => {
  test('EncryptionContextSubset: the request must contain the pairs', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gus.arn, ['Encrypt', 'Decrypt'], { Constraints: { EncryptionContextSubset: { purpose: 'billing' } } });
    const ec = { purpose: 'billing', invoice: '42' };
    const ct = (await encrypt(gus, key.KeyId!, ec)).CiphertextBlob;
    await as(gus).send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: ec }));
    for (const wrong of [{ purpose: 'payroll' }, { purpose: 'Billing' }, undefined] as (Record<string, string> | undefined)[]) {
      await expectError(encrypt(gus, key.KeyId!, wrong), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
    }
    // "in a grant constraint, the key in each key-value pair is not case sensitive, but the value is" (API_GrantConstraints).
    await encrypt(gus, key.KeyId!, { Purpose: 'billing' });
  });

  test('EncryptionContextEquals: exactly the pairs, no more', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gus.arn, ['Encrypt'], { Constraints: { EncryptionContextEquals: { a: '1' } } });
    await encrypt(gus, key.KeyId!, { a: '1' });
    await expectError(encrypt(gus, key.KeyId!, { a: '1', b: '2' }), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
    await expectError(encrypt(gus, key.KeyId!, { a: 'one' }), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
  });
});

describe('retired and revoked grants stop at once', () => {
  test('RetireGrant by the grantee', async () => {
    const key = await newKey();
    const { GrantToken } = await grant(key.KeyId!, gus.arn, ['Encrypt', 'RetireGrant']);
    await encrypt(gus, key.KeyId!);
    await as(gus).send(new RetireGrantCommand({ GrantToken }));
    await expectError(encrypt(gus, key.KeyId!), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
  });

  test('RevokeGrant by the key administrator', async () => {
    const key = await newKey();
    const { GrantId } = await grant(key.KeyId!, gus.arn, ['Encrypt']);
    await encrypt(gus, key.KeyId!);
    await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId }));
    await expectError(encrypt(gus, key.KeyId!), 'AccessDeniedException', denied(gus, 'kms:Encrypt', key.Arn!));
  });

  test('a grantee without RetireGrant in its grant (nor retiring principal) cannot retire it', async () => {
    const key = await newKey();
    const { GrantId } = await grant(key.KeyId!, gus.arn, ['Encrypt']);
    // gus is of the issuing account, so kms:RetireGrant could reach him through IAM (DG grant-manage.html).
    await expectError(as(gus).send(new RetireGrantCommand({ KeyId: key.Arn, GrantId })), 'AccessDeniedException', denied(gus, 'kms:RetireGrant', key.Arn!));
    await encrypt(gus, key.KeyId!);
  });
});

describe('CreateGrant through a grant', () => {
  // The refusal's text is unrecorded; Trent answers as for a key policy that does not allow the call.
  const wider = (key: string) => denied(gus, 'kms:CreateGrant', key, 'because no resource-based policy allows the kms:CreateGrant action');

  test('may create a narrower grant, not a wider one', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gus.arn, ['Encrypt', 'Decrypt', 'CreateGrant'], { Constraints: { EncryptionContextSubset: { team: 'a' } } });
    // Fewer operations and a stricter constraint: allowed.
    await grant(key.Arn!, gina.arn, ['Encrypt'], { Constraints: { EncryptionContextSubset: { team: 'a', app: 'x' } } }, as(gus));
    await encrypt(gina, key.KeyId!, { team: 'a', app: 'x' });
    await expectError(encrypt(gina, key.KeyId!, { team: 'a' }), 'AccessDeniedException', denied(gina, 'kms:Encrypt', key.Arn!));
    // An operation the parent lacks, a looser constraint, or none at all: refused.
    await expectError(grant(key.Arn!, gina.arn, ['Encrypt', 'GenerateDataKey'], { Constraints: { EncryptionContextSubset: { team: 'a' } } }, as(gus)), 'AccessDeniedException', wider(key.Arn!));
    await expectError(grant(key.Arn!, gina.arn, ['Encrypt'], { Constraints: { EncryptionContextSubset: { app: 'x' } } }, as(gus)), 'AccessDeniedException', wider(key.Arn!));
    await expectError(grant(key.Arn!, gina.arn, ['Encrypt'], {}, as(gus)), 'AccessDeniedException', wider(key.Arn!));
  });

  test('a grantee without CreateGrant in its grant cannot create grants', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gus.arn, ['Encrypt']);
    await expectError(grant(key.Arn!, gina.arn, ['Encrypt'], {}, as(gus)), 'AccessDeniedException', denied(gus, 'kms:CreateGrant', key.Arn!));
  });
});

describe('condition keys of CreateGrant', () => {
  test('kms:GrantOperations and kms:GranteePrincipal', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gina.arn, ['Encrypt', 'Decrypt'], {}, as(granter));
    await expectError(grant(key.KeyId!, gina.arn, ['Encrypt', 'GenerateDataKey'], {}, as(granter)), 'AccessDeniedException', denied(granter, 'kms:CreateGrant', key.Arn!));
    await expectError(grant(key.KeyId!, worker.arn, ['Encrypt'], {}, as(granter)), 'AccessDeniedException', denied(granter, 'kms:CreateGrant', key.Arn!));
  });

  test('kms:GrantConstraintType', async () => {
    const key = await newKey();
    await grant(key.KeyId!, gina.arn, ['Encrypt'], { Constraints: { EncryptionContextEquals: { k: 'v' } } }, as(constrainedGranter));
    await expectError(
      grant(key.KeyId!, gina.arn, ['Encrypt'], { Constraints: { EncryptionContextSubset: { k: 'v' } } }, as(constrainedGranter)),
      'AccessDeniedException',
      denied(constrainedGranter, 'kms:CreateGrant', key.Arn!),
    );
    await expectError(grant(key.KeyId!, gina.arn, ['Encrypt'], {}, as(constrainedGranter)), 'AccessDeniedException', denied(constrainedGranter, 'kms:CreateGrant', key.Arn!));
  });
});
