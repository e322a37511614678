// The `trent` package: start Trent inside a test suite. Its types are in public-types.ts.
export { startTrent } from './embedded.ts';
export type * from './public-types.ts';
