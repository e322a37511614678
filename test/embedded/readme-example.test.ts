// The README's startTrent example, run as written: its code block is copied into a file inside the package (so
// that `import ... from 'trent'` resolves as it does for a user) and run with `node --test`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, ROOT } from '../helpers/cli.ts';

test('the README example runs and passes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```js\n(\/\/ test\/kms\.test\.js[\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has the startTrent example');
  const dir = mkdtempSync(join(ROOT, '.readme-example-'));
  try {
    writeFileSync(join(dir, 'kms.test.mjs'), block[1]!);
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', join(dir, 'kms.test.mjs')], {
      cwd: ROOT,
      env: cleanEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }),
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /^# pass 2$/m);
    assert.match(run.stdout, /^# fail 0$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
