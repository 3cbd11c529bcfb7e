import { type ContactDeps, contactFeature } from './deps';
import { type RunOptions, type RunResult, runImport } from './import-run';
import { importMessageSchema } from './schema';

/**
 * The import worker's use-case for one queue message (an SQS record body, or the in-process
 * queue's): validates the message and runs or resumes the import. Throwing lets the queue
 * redeliver; the run resumes from the job's checkpoint, so a redelivery is harmless.
 */
export const importWorker = (deps: ContactDeps, options: RunOptions = {}) => {
  const feature = contactFeature(deps);
  return async (body: string): Promise<RunResult> => {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      throw new Error('an import message is not JSON');
    }
    const message = importMessageSchema.parse(raw);
    return runImport(feature, { partnerId: message.partnerId, importId: message.importId }, options);
  };
};
