// DeriveSharedSecret — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html
// Not built yet: answers UnsupportedOperationException like every unbuilt operation.
import type { Handler } from '../context.ts';
import { notBuilt } from './not-built.ts';

export const deriveSharedSecret: Handler = notBuilt('DeriveSharedSecret');
