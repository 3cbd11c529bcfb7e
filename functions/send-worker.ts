// Lambda entry: wired to its use-cases by the issue-4 integration (same session); until then it refuses work.
export const handler = async (): Promise<never> => {
  throw new Error('functions/send-worker.ts is not wired yet');
};
