// Principals from the config file: callers built from ARNs (user, role session, root), the flat and the
// structured forms, identity policies validated at startup, and the directory key policies are checked against.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { callerFromArn, rootCaller } from '../../src/iam/principal.ts';
import { principalDirectory, readFlatCredentials, readPrincipals } from '../../src/iam/principals-config.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ALLOW = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
const key = (id: string) => ({ accessKeyId: id, secretAccessKey: `${id}-secret` });

describe('callers from principal ARNs', () => {
  test('an IAM user is named by its ARN and has aws:username', () => {
    const c = callerFromArn('arn:aws:iam::111122223333:user/division/alice', { accessKeyId: 'AK1', tags: { team: 'blue' } });
    assert.equal(c.arn, 'arn:aws:iam::111122223333:user/division/alice');
    assert.equal(c.principalArn, c.arn);
    assert.equal(c.principalType, 'User');
    assert.equal(c.userName, 'alice');
    assert.match(c.userId, /^AIDA[A-Z2-7]{17}$/);
    assert.deepEqual(c.tags, { team: 'blue' });
  });

  test('a role is used through a session: the caller ARN is the session, aws:PrincipalArn the role (with its path)', () => {
    const c = callerFromArn('arn:aws:iam::111122223333:role/service/App', { accessKeyId: 'AK2', sessionName: 'worker-1' });
    assert.equal(c.arn, 'arn:aws:sts::111122223333:assumed-role/App/worker-1');
    assert.equal(c.principalArn, 'arn:aws:iam::111122223333:role/service/App');
    assert.equal(c.principalType, 'AssumedRole');
    assert.equal(c.userName, undefined);
    assert.match(c.userId, /^AROA[A-Z2-7]{17}:worker-1$/);
    // Without a session name the role's name serves.
    assert.equal(callerFromArn('arn:aws:iam::111122223333:role/App', { accessKeyId: 'AK3' }).arn, 'arn:aws:sts::111122223333:assumed-role/App/App');
  });

  test('a session ARN given directly maps back to its role', () => {
    const c = callerFromArn('arn:aws:sts::444455556666:assumed-role/Dev/bob', { accessKeyId: 'AK4' });
    assert.equal(c.principalArn, 'arn:aws:iam::444455556666:role/Dev');
    assert.equal(c.accountId, '444455556666');
  });

  test('the account root is the account', () => {
    assert.deepEqual(callerFromArn('arn:aws:iam::111122223333:root', { accessKeyId: 'AK5' }), rootCaller('111122223333', 'AK5'));
    assert.equal(rootCaller('111122223333', 'x').userId, '111122223333');
  });

  test('other ARNs are refused', () => {
    assert.throws(() => callerFromArn('arn:aws:iam::111122223333:group/admins', { accessKeyId: 'x' }), /unsupported principal ARN/);
    assert.throws(() => callerFromArn('arn:aws:iam::1111:root', { accessKeyId: 'x' }), /unsupported principal ARN/);
  });
});

describe('the principals list', () => {
  test('each access key of a principal becomes one credential with the principal\'s policies and tags', () => {
    const entries = readPrincipals([
      { arn: 'arn:aws:iam::111122223333:user/alice', accessKeys: [key('A1'), key('A2')], policies: [ALLOW], tags: { team: 'blue' } },
      { arn: 'arn:aws:iam::111122223333:role/App', sessionName: 's1', accessKeys: [{ ...key('R1'), sessionToken: 'tok' }] },
    ]);
    assert.deepEqual(entries.map((e) => [e.accessKeyId, e.caller.arn]), [
      ['A1', 'arn:aws:iam::111122223333:user/alice'],
      ['A2', 'arn:aws:iam::111122223333:user/alice'],
      ['R1', 'arn:aws:sts::111122223333:assumed-role/App/s1'],
    ]);
    assert.deepEqual(entries[0]!.caller.policies, [JSON.stringify(ALLOW)]);
    assert.equal(entries[2]!.sessionToken, 'tok');
    assert.equal(entries[1]!.caller.accessKeyId, 'A2');
  });

  test('a policy given as a string is kept byte for byte', () => {
    const text = '{ "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*" } }';
    assert.deepEqual(readPrincipals([{ arn: 'arn:aws:iam::111122223333:user/a', accessKeys: [key('K')], policies: [text] }])[0]!.caller.policies, [text]);
  });

  test('an invalid identity policy is a configuration error naming where it is', () => {
    assert.throws(
      () => readPrincipals([{ arn: 'arn:aws:iam::111122223333:user/a', accessKeys: [key('K')], policies: [{ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*', Principal: '*' }] }] }]),
      /^Error: principals\[0\]\.policies\[0\]: /,
    );
  });

  test('the flat form defaults to the account root and checks the account', () => {
    const [root, user] = readFlatCredentials([
      { ...key('F1'), accountId: '111122223333' },
      { ...key('F2'), principalArn: 'arn:aws:iam::111122223333:user/u', policies: [ALLOW] },
    ]);
    assert.equal(root!.caller.arn, 'arn:aws:iam::111122223333:root');
    assert.equal(user!.caller.policies.length, 1);
    assert.throws(() => readFlatCredentials([{ ...key('F3'), accountId: '444455556666', principalArn: 'arn:aws:iam::111122223333:user/u' }]), /differs from the account/);
    assert.throws(() => readFlatCredentials([key('F4')]), /needs accountId or principalArn/);
  });

  test('a config file with principals loads, and an access key defined twice is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ principals: [{ arn: 'arn:aws:iam::111122223333:user/alice', accessKeys: [key('AK')] }], propagationDelaySeconds: 300 }));
    const config = loadConfig(['--config', file], {});
    assert.equal(config.credentials[0]!.caller.userName, 'alice');
    assert.equal(config.propagationDelaySeconds, 300);
    writeFileSync(file, JSON.stringify({ principals: [{ arn: 'arn:aws:iam::111122223333:user/alice', accessKeys: [key('AK')] }], credentials: [{ ...key('AK'), accountId: '111122223333' }] }));
    assert.throws(() => loadConfig(['--config', file], {}), (e: unknown) => e instanceof ConfigError && /access key AK is defined twice/.test(e.message));
    assert.throws(() => loadConfig(['--propagation-delay', '3601'], {}), /invalid propagationDelaySeconds: 3601/);
  });

  test('multiRegionDelayMs: 2000 by default, from a flag or TRENT_MULTI_REGION_DELAY, 0–600000', () => {
    assert.equal(loadConfig([], {}).multiRegionDelayMs, 2000);
    assert.equal(loadConfig(['--multi-region-delay', '0'], {}).multiRegionDelayMs, 0);
    assert.equal(loadConfig([], { TRENT_MULTI_REGION_DELAY: '150' }).multiRegionDelayMs, 150);
    assert.throws(() => loadConfig(['--multi-region-delay', '600001'], {}), /invalid multiRegionDelayMs: 600001/);
    assert.throws(() => loadConfig(['--multi-region-delay', '-1'], {}), /invalid multiRegionDelayMs: -1/);
  });
});

describe('the principal directory (key policy principals must exist)', () => {
  const known = principalDirectory(readPrincipals([
    { arn: 'arn:aws:iam::111122223333:user/alice', accessKeys: [key('A')] },
    { arn: 'arn:aws:iam::111122223333:role/team/App', accessKeys: [key('R')] },
  ]));

  test('users and roles of a configured account must be configured', () => {
    assert.equal(known('arn:aws:iam::111122223333:user/alice'), true);
    assert.equal(known('arn:aws:iam::111122223333:user/mallory'), false);
    assert.equal(known('arn:aws:iam::111122223333:role/team/App'), true);
    assert.equal(known('arn:aws:sts::111122223333:assumed-role/App/any-session'), true);
    assert.equal(known('arn:aws:sts::111122223333:assumed-role/Other/s'), false);
  });

  test('account roots and principals of accounts Trent does not know are accepted', () => {
    assert.equal(known('arn:aws:iam::111122223333:root'), true);
    assert.equal(known('arn:aws:iam::999999999999:user/anyone'), true);
  });

  test('local-development mode knows no accounts and accepts every principal', () => {
    assert.equal(principalDirectory([])('arn:aws:iam::111122223333:user/x'), true);
  });
});
