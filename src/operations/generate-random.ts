// GenerateRandom — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html
// Not built yet: answers UnsupportedOperationException like every unbuilt operation.
import type { Handler } from '../context.ts';
import { notBuilt } from './not-built.ts';

export const generateRandom: Handler = notBuilt('GenerateRandom');
