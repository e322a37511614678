// GetKeyLastUsage — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html
// Not built yet: answers UnsupportedOperationException like every unbuilt operation.
import type { Handler } from '../context.ts';
import { notBuilt } from './not-built.ts';

export const getKeyLastUsage: Handler = notBuilt('GetKeyLastUsage');
