// Running the second real clients (boto3 and the AWS CLI) from tests: an environment that sees no shared
// AWS configuration, and the python3 that has boto3.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** An environment for boto3 or the CLI with only these credentials and Region: no config files, no IMDS. */
export const clientEnv = (creds: { accessKeyId: string; secretAccessKey: string }, region: string): NodeJS.ProcessEnv => ({
  ...process.env,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: creds.accessKeyId,
  AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
  AWS_DEFAULT_REGION: region,
  AWS_PAGER: '',
});

/** The machine's python3 unless only Debian's (where scripts/ensure-test-tools.sh installs boto3) has boto3. */
export async function pythonWithBoto3(): Promise<string> {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (await run(python, ['-c', 'import boto3']).then(() => true, () => false)) return python;
  }
  throw new Error('no python3 with boto3: run scripts/ensure-test-tools.sh');
}
