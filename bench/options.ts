// The command line of `npm run bench`: its flags, their defaults and the --help text.

export interface Options {
  seconds: number;
  warmup: number;
  slice: number;
  concurrency: number;
  profile: boolean;
  /** Operation label the profile run loads (default ListResourceTags). */
  profileOp: string;
  /** Profile Trent with authorization on (signed IAM user) next to local-development Trent and bare. */
  profileAuthz: boolean;
  /** Operation labels to measure; empty = all. */
  only: string[];
  /** Rows also measured with authorization on (a signed IAM user, key policy + ABAC identity policy). */
  authzOps: string[];
  /** The load generator: wrk (servers on core 0, wrk on core 1) where installed, else the Node one. */
  load: 'wrk' | 'node' | 'auto';
  /** Whole throughput runs, each on fresh servers; tables show each row's median run. */
  runs: number;
  /** Start-up runs per server (0: none). */
  startupRuns: number;
  /** Measure start-up only. */
  startupOnly: boolean;
}

export const DEFAULT_AUTHZ_OPS = ['DescribeKey', 'Encrypt'];

export const USAGE = `usage: npm run bench -- [options]
  --seconds N      measured seconds per server and operation (default 5)
  --warmup N       unmeasured warm-up seconds per server and operation (default 1)
  --slice N        the measured seconds are taken in alternating slices of about N s, the servers of a row
                   interleaved, so machine noise hits them alike (default 1)
  --concurrency N  in-flight requests (default 32)
  --profile        afterwards, CPU-profile a separate Trent and bare server (node --cpu-prof) on one
                   ListResourceTags run each and print CPU per request by function and file
  --profile-op OP  profile operation OP (a row label, e.g. Encrypt) instead of ListResourceTags; implies --profile
  --profile-authz  profile Trent with authorization on (signed IAM user) as well, and sort by its time; implies --profile
  --only OP,OP     measure only these rows (labels as printed, e.g. Encrypt,Decrypt)
  --authz OP,OP    rows also measured against Trent with authorization on: a third server configured with
                   principals, called by a signed IAM user (key policy + identity policy with an
                   aws:ResourceTag/team = \${aws:PrincipalTag/team} condition) and by the signed account root
                   (default ${DEFAULT_AUTHZ_OPS.join(',')}; "none" for none)
  --runs N         throughput runs, each on fresh servers and data directories; the tables show, per row, the
                   run whose Trent/bare ratio (authorization table: user/local ratio) is the median (default 3;
                   one with --profile)
  --startup-runs N start-up runs per server: spawn → first answered request, and memory (default 10; 0 skips)
  --startup-only   measure start-up only
  --load wrk|node  the load generator: wrk (Debian's wrk, one thread on core 1, every server on core 0, as
                   issue 12 measured) or the Node one on the other core (default: wrk where installed)`;

const BOOLEAN_FLAGS = { '--profile': 'profile', '--profile-authz': 'profileAuthz', '--startup-only': 'startupOnly' } as const;
const NUMBER_FLAGS = new Set(['--seconds', '--warmup', '--slice', '--concurrency', '--runs', '--startup-runs']);

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    seconds: 5,
    warmup: 1,
    slice: 1,
    concurrency: 32,
    profile: false,
    profileOp: 'ListResourceTags',
    profileAuthz: false,
    only: [],
    authzOps: DEFAULT_AUTHZ_OPS,
    load: 'auto',
    runs: 3,
    startupRuns: 10,
    startupOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (name in BOOLEAN_FLAGS) {
      o[BOOLEAN_FLAGS[name as keyof typeof BOOLEAN_FLAGS]] = true;
      if (name === '--profile-authz') o.profile = true;
      continue;
    }
    if (name === '--profile-op' || name === '--only' || name === '--authz' || name === '--load') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error(`missing value for ${name}`);
      if (name === '--load') {
        if (value !== 'wrk' && value !== 'node') throw new Error('--load takes wrk or node');
        o.load = value;
      } else if (name === '--only') o.only = value.split(',');
      else if (name === '--authz') o.authzOps = value === 'none' ? [] : value.split(',');
      else [o.profile, o.profileOp] = [true, value];
      continue;
    }
    if (!NUMBER_FLAGS.has(name)) throw new Error(`unknown option ${name}\n${USAGE}`);
    const value = Number(inline ?? argv[++i]);
    const min = name === '--warmup' || name === '--startup-runs' ? 0 : Number.MIN_VALUE;
    const integral = name === '--concurrency' || name === '--startup-runs' || name === '--runs';
    if (!Number.isFinite(value) || value < min || (integral && !Number.isInteger(value))) {
      throw new Error(`invalid value for ${name}`);
    }
    if (name === '--startup-runs') o.startupRuns = value;
    else if (name === '--runs') o.runs = Math.max(1, value);
    else o[name.slice(2) as 'seconds' | 'warmup' | 'slice' | 'concurrency'] = value;
  }
  return o;
}
