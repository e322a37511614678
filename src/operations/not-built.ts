// The answer of an operation of the model that Trent does not build yet.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';

export const notBuilt =
  (op: string): Handler =>
  async () => {
    throw new KmsError('UnsupportedOperationException', `${op} is not supported by Trent yet.`);
  };
