// `trent --help`: the commands and every serve option with its environment variable, from the flag table.
import { FLAGS } from '../config.ts';

export function helpText(): string {
  const width = Math.max(...Object.entries(FLAGS).map(([f, s]) => f.length + s.value.length + 1));
  const options = Object.entries(FLAGS)
    .map(([flag, s]) => `  ${`${flag} ${s.value}`.padEnd(width)}  ${s.help} [${s.env}]`)
    .join('\n');
  return `Trent: a key management server that speaks the AWS KMS API.

Usage:
  trent [serve] [options]        start the server (the default command)
  trent seed check FILE [options]
                                 check a seed file against every KMS rule, change nothing, exit 0 if it applies
  trent export [options] [--with-material] [--out FILE]
                                 write the keys of a data directory (Trent stopped) as a seed file; YAML when FILE
                                 ends in .yaml; --with-material adds the key material, in the clear
  trent health [--url URL]      exit 0 if the Trent at URL (default: --host and --port) answers its health check
  trent --help | --version

Options (each also an environment variable, or a key of the --config file):
${options}
  ${'TRENT_ROOT_KEY'.padEnd(width)}  the root key itself, base64 (environment only)

Through npm, put options after --:  npm start -- --port 4600
Admin routes: GET /_trent/health, POST /_trent/reset, GET|POST /_trent/clock (see the README).
`;
}
