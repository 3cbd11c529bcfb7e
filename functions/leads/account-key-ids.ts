import { type AccountKeyConfig, accountKeyConfigSchema, defaultAccountKeyConfig } from './account-keys';

/**
 * The account-key ids from the environment (`ACCOUNT_KEY_IDS`): comma-separated, the primary
 * first, then any older key a stored list may still use (`a2,a1` while lists hashed under a1
 * are re-uploaded). Unset: the default single key. An invalid value fails at cold start.
 */
export const accountKeyConfigFrom = (value: string | undefined): AccountKeyConfig => {
  if (value === undefined || value.trim() === '') return defaultAccountKeyConfig;
  const ids = value.split(',').map((id) => id.trim());
  const parsed = accountKeyConfigSchema.safeParse({ primary: ids[0], active: ids });
  if (!parsed.success) {
    throw new Error(
      `ACCOUNT_KEY_IDS: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
};
