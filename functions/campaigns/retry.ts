import { ConflictError } from '#platform/errors';

/**
 * Runs a read-modify-write again when it lost a race (a conditional write failed because a
 * concurrent change moved the version), a bounded number of times. `run` must re-read.
 */
export const retryOnConflict = async <T>(run: () => Promise<T>, attempts = 5): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
};
