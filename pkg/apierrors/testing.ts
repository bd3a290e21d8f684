/** Test helper: the StatusError a function throws (anything else, or no throw, fails the test). */
import { StatusError } from './index.ts';

export function catchStatusError(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}
