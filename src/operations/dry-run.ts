// DryRun: every check of the real call runs (validation, key, state, usage, authorization), then AWS
// answers DryRunOperationException instead of acting (LS-snap test_generate_data_key_pair_dry_run).
import { KmsError } from '../errors.ts';

/** Call after the last check and before the operation acts. */
export function stopIfDryRun(input: Record<string, unknown>): void {
  if (input.DryRun === true) {
    throw new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
  }
}
