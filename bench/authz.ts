// The authorization-on server of the bench: a config file with principals (the account root, and an IAM
// user tagged team=blue whose identity policy allows kms:* on keys tagged with its own team), keys whose
// key policy names the root and the user, and a set-up check that the ABAC condition really decides.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand, DescribeKeyCommand, TagResourceCommand } from '@aws-sdk/client-kms';
import { benchClient, setUpKeys, type BenchKeys } from './keys.ts';
import type { Credentials } from './sign.ts';

const ACCOUNT = '111122223333';
export const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/bench`;
export const ROOT_CREDENTIALS: Credentials = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret' };
export const USER_CREDENTIALS: Credentials = { accessKeyId: 'AKIABENCHUSER0000001', secretAccessKey: 'bench-user-secret' };
const TEAM = { TagKey: 'team', TagValue: 'blue' };

const IDENTITY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'KeysOfMyTeam',
      Effect: 'Allow',
      Action: 'kms:*',
      Resource: `arn:aws:kms:*:${ACCOUNT}:key/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    },
  ],
};

const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };

/**
 * The key policy of the measured keys: AWS's root statement, which hands the decision to the user's identity
 * policy, so every measured request is decided by its aws:ResourceTag condition (ABAC as AWS describes it).
 */
export const KEY_POLICY = JSON.stringify({ Version: '2012-10-17', Id: 'bench-authz', Statement: [ROOT_STATEMENT] });

/** Writes the config file (principals) and a root key file; returns the Trent arguments that use them. */
export function writeAuthzConfig(dir: string): string[] {
  const config = {
    principals: [
      { arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeys: [ROOT_CREDENTIALS] },
      { arn: USER_ARN, tags: { team: TEAM.TagValue }, policies: [IDENTITY_POLICY], accessKeys: [USER_CREDENTIALS] },
    ],
  };
  const configFile = join(dir, 'authz-config.json');
  const rootKeyFile = join(dir, 'authz-root-key');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  writeFileSync(rootKeyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  return ['--config', configFile, '--root-key-file', rootKeyFile];
}

/**
 * Creates the measured keys as the root (key policy naming the user, tagged team=blue), after checking
 * on a key whose policy has only the root statement that the identity policy's tag condition decides:
 * the user is denied while the key lacks the tag and allowed once it has it.
 */
export async function setUpAuthzKeys(url: string): Promise<BenchKeys> {
  const root = benchClient(url, ROOT_CREDENTIALS);
  const user = benchClient(url, USER_CREDENTIALS);
  try {
    const probe = (await root.send(new CreateKeyCommand({ Description: 'bench: ABAC probe' }))).KeyMetadata!;
    const denied = await user.send(new DescribeKeyCommand({ KeyId: probe.Arn })).then(
      () => undefined,
      (e: Error) => e,
    );
    if (denied?.name !== 'AccessDeniedException') throw new Error(`set-up: the user reached an untagged key (${denied?.name ?? 'allowed'})`);
    await root.send(new TagResourceCommand({ KeyId: probe.KeyId, Tags: [TEAM] }));
    await user.send(new DescribeKeyCommand({ KeyId: probe.Arn }));
  } finally {
    root.destroy();
    user.destroy();
  }
  return setUpKeys(url, { credentials: ROOT_CREDENTIALS, policy: KEY_POLICY, tags: [TEAM] });
}
