import { fileURLToPath } from 'node:url';

/** The repository root, wherever the CDK app is started from (cdk CLI, vitest, tsx). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the repository, from its root: `fromRoot('functions/api.ts')`. */
export const fromRoot = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));
