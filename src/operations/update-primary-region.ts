// UpdatePrimaryRegion — https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html
// Not built yet.
import { notBuilt } from './not-built.ts';

export const updatePrimaryRegion = notBuilt('UpdatePrimaryRegion');
