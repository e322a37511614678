// Trent's version: fixed into the built package by the build; read from package.json when run from source.
import { createRequire } from 'node:module';

declare const __TRENT_VERSION__: string | undefined;

export const VERSION: string =
  typeof __TRENT_VERSION__ === 'string' ? __TRENT_VERSION__ : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
