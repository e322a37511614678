// Seeds from the command line: --seed, TRENT_SEED and the config file's `seed`; two servers seeded alike accept each
// other's ciphertexts; `trent seed check`; `trent export` writing a seed that brings the same keys back elsewhere.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { localClient, type RunningCli, runTrent, scratch, spawnTrent } from '../helpers/cli.ts';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const { base, fresh } = scratch('seed-cli');

const client = localClient;

async function withServer<T>(args: string[], fn: (url: string, server: RunningCli) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const server = await spawnTrent(['--port', '0', '--log', 'silent', ...args], { env });
  try {
    return await fn(server.url, server);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const SEED_YAML = `keys:
  - keyId: ${ID}
    description: shared
    aliases: [alias/shared]
    tags: { team: blue }
    material: ${Buffer.alloc(32, 7).toString('base64')}
`;

describe('seeding from the command line', () => {
  test('two servers seeded with the same file decrypt each other\'s ciphertexts; --seed, TRENT_SEED and the config key', async () => {
    const seed = join(base, 'shared.yaml');
    writeFileSync(seed, SEED_YAML);
    const config = join(base, 'config.json');
    writeFileSync(config, JSON.stringify({ seed }));
    const blob = await withServer(['--data-dir', fresh(), '--seed', seed], async (url) => {
      const kms = client(url);
      const out = (await kms.send(new EncryptCommand({ KeyId: 'alias/shared', Plaintext: Buffer.from('across servers') }))).CiphertextBlob!;
      kms.destroy();
      return out;
    });
    for (const [args, env] of [[[], { TRENT_SEED: seed }], [['--config', config], {}]] as const) {
      await withServer(['--data-dir', fresh(), ...args], async (url) => {
        const kms = client(url);
        const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/shared' }))).KeyMetadata!;
        assert.equal(md.KeyId, ID);
        assert.equal(md.Description, 'shared');
        assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), 'across servers');
        kms.destroy();
      }, env);
    }
  });

  test('a restart with the same seed logs that the seed is present, and a changed entry is named', async () => {
    const seed = join(base, 'restart.yaml');
    writeFileSync(seed, SEED_YAML);
    const dataDir = fresh();
    const first = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--seed', seed]);
    first.child.kill('SIGTERM');
    await first.exited;
    assert.match(first.stderr(), /"msg":"seed applied","source":"[^"]*restart.yaml","created":1,"present":0/);
    writeFileSync(seed, SEED_YAML.replace('description: shared', 'description: edited'));
    const second = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--seed', seed]);
    second.child.kill('SIGTERM');
    await second.exited;
    assert.match(second.stderr(), /"msg":"seed applied","source":"[^"]*restart.yaml","created":0,"present":1/);
    assert.ok(
      second.stderr().includes(`"level":"warn","msg":"${seed}: keys[0] has changed since it was applied; the key is left as it stands (POST /_trent/reset applies the seed again)"`),
      second.stderr(),
    );
  });
});

describe('trent seed check', () => {
  test('exit 0 with a summary when the seed applies, 1 naming the rule when it does not, 2 without a file', async () => {
    const good = join(base, 'good.yaml');
    writeFileSync(good, `${SEED_YAML}  - keyId: mrk-1234abcd12ab34cd56ef1234567890ab\n    account: "444455556666"\n    multiRegion: { replicas: [eu-west-1] }\n`);
    assert.deepEqual(await runTrent(['seed', 'check', good]), {
      code: 0,
      stdout: `${good}: applies: 2 key(s), 1 replica(s), 1 alias(es) in 2 account(s) and 2 Region(s)\n`,
      stderr: '',
    });
    const bad = join(base, 'bad.json');
    writeFileSync(bad, JSON.stringify({ keys: [{ keyId: ID, keySpec: 'ECC_NIST_P256' }] }));
    assert.deepEqual(await runTrent(['seed', 'check', bad]), {
      code: 1,
      stdout: '',
      stderr: `trent: ${bad}: keys[0] (key ${ID}): ValidationException: You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.\n`,
    });
    assert.deepEqual(await runTrent(['seed', 'check']), { code: 2, stdout: '', stderr: 'trent: usage: trent seed check FILE [options]\n' });
    assert.deepEqual(await runTrent(['seed', 'lint', good]), { code: 2, stdout: '', stderr: 'trent: usage: trent seed check FILE [options]\n' });
  });

  test('policies are checked against the configuration\'s principals', async () => {
    const config = join(base, 'principals.json');
    writeFileSync(config, JSON.stringify({ principals: [{ arn: 'arn:aws:iam::111122223333:user/alice', accessKeys: [{ accessKeyId: 'AKIAALICE00000000001', secretAccessKey: 's' }] }] }));
    const seed = join(base, 'policy.json');
    const policy = (who: string) => ({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::111122223333:user/${who}` }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    writeFileSync(seed, JSON.stringify({ keys: [{ keyId: ID, policy: policy('alice') }] }));
    assert.equal((await runTrent(['seed', 'check', seed, '--config', config])).code, 0);
    writeFileSync(seed, JSON.stringify({ keys: [{ keyId: ID, policy: policy('bob') }] }));
    const refused = await runTrent(['seed', 'check', seed, '--config', config]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `trent: ${seed}: keys[0] (key ${ID}): MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals.\n`);
  });
});

describe('trent export', () => {
  test('a data directory written as a seed brings the same keys back elsewhere, ciphertexts included', async () => {
    const dataDir = fresh();
    const made = await withServer(['--data-dir', dataDir, '--multi-region-delay', '0'], async (url) => {
      const kms = client(url);
      const sym = (await kms.send(new CreateKeyCommand({ Description: 'rotated', Tags: [{ TagKey: 'team', TagValue: 'blue' }] }))).KeyMetadata!.KeyId!;
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/rotated', TargetKeyId: sym }));
      const oldBlob = (await kms.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('before rotation') }))).CiphertextBlob!;
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: sym }));
      await kms.send(new EnableKeyRotationCommand({ KeyId: sym, RotationPeriodInDays: 180 }));
      const newBlob = (await kms.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('after rotation') }))).CiphertextBlob!;
      const signing = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', Policy: POLICY }))).KeyMetadata!.KeyId!;
      const { Signature } = await kms.send(new SignCommand({ KeyId: signing, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' }));
      const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new DisableKeyCommand({ KeyId: disabled }));
      const mrk = (await kms.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
      await kms.send(new ReplicateKeyCommand({ KeyId: mrk, ReplicaRegion: 'eu-west-1', Description: 'replica' }));
      const doomed = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
      kms.destroy();
      return { sym, oldBlob, newBlob, signing, Signature: Signature!, disabled, mrk, doomed };
    });

    const out = join(base, 'export.json');
    const exported = await runTrent(['export', '--data-dir', dataDir, '--with-material', '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(
      exported.stderr,
      `trent: not exported: arn:aws:kms:us-east-1:111122223333:key/${made.doomed}: pending deletion\n` +
        `trent: warning: ${out} holds key material in the clear: whoever reads it can decrypt, sign and verify as these keys do. ` +
        'Keep it out of version control unless the keys protect nothing but test data.\n' +
        `trent: exported 4 key(s) to ${out}\n`,
    );
    assert.equal(statSync(out).mode & 0o777, 0o600);

    await withServer(['--data-dir', fresh(), '--seed', out], async (url) => {
      const kms = client(url);
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [made.sym, made.signing, made.disabled, made.mrk]);
      for (const [blob, text] of [[made.oldBlob, 'before rotation'], [made.newBlob, 'after rotation']] as const) {
        assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), text);
      }
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/rotated' }))).KeyMetadata!;
      assert.equal(md.Description, 'rotated');
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: made.sym }))).Tags, [{ TagKey: 'team', TagValue: 'blue' }]);
      assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: made.sym }))).RotationPeriodInDays, 180);
      assert.equal((await kms.send(new VerifyCommand({ KeyId: made.signing, Message: Buffer.from('m'), Signature: made.Signature, SigningAlgorithm: 'ECDSA_SHA_384' }))).SignatureValid, true);
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: made.signing }))).Policy, POLICY);
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: made.disabled }))).KeyMetadata!.KeyState, 'Disabled');
      const west = client(url, 'eu-west-1');
      assert.equal((await west.send(new DescribeKeyCommand({ KeyId: made.mrk }))).KeyMetadata!.Description, 'replica');
      assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName), ['alias/rotated']);
      west.destroy();
      kms.destroy();
    });
  });

  test('without --with-material no material is written; YAML by the file name; standard output by default', async () => {
    const dataDir = fresh();
    await withServer(['--data-dir', dataDir], async (url) => {
      const kms = client(url);
      await kms.send(new CreateKeyCommand({ Description: 'plain' }));
      kms.destroy();
    });
    const toStdout = await runTrent(['export', '--data-dir', dataDir]);
    assert.equal(toStdout.code, 0);
    const doc = JSON.parse(toStdout.stdout) as { keys: Record<string, unknown>[] };
    assert.equal(doc.keys.length, 1);
    assert.equal(doc.keys[0]!.description, 'plain');
    assert.equal('material' in doc.keys[0]!, false);
    const yamlFile = join(base, 'export.yaml');
    assert.equal((await runTrent(['export', '--data-dir', dataDir, '--out', yamlFile])).code, 0);
    assert.deepEqual(parseYaml(readFileSync(yamlFile, 'utf8')), doc);
  });

  test('a data directory in use, or none at all, is refused with one line', async () => {
    const dataDir = fresh();
    await withServer(['--data-dir', dataDir], async () => {
      assert.deepEqual(await runTrent(['export', '--data-dir', dataDir]), {
        code: 2,
        stdout: '',
        stderr: `trent: database ${join(dataDir, 'trent.sqlite')} is in use by another process (is another Trent running on this data directory?)\n`,
      });
    });
    const none = fresh();
    const refused = await runTrent(['export', '--data-dir', none]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `trent: no Trent data in ${none}: ${join(none, 'trent.sqlite')} does not exist\n`);
  });
});

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'custom',
  Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});
