// GetKeyRotationStatus — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
// Not built yet: answers UnsupportedOperationException like every unbuilt operation.
import type { Handler } from '../context.ts';
import { notBuilt } from './not-built.ts';

export const getKeyRotationStatus: Handler = notBuilt('GetKeyRotationStatus');
