import type { PartnerStore } from '#functions/partners/store';
import { demoPartners } from './demo-data';

/**
 * Seeds demo data idempotently: what exists is left as it is, so edits made while the
 * platform ran survive a restart.
 */
export const seed = async ({ partners, clock }: { partners: PartnerStore; clock: () => Date }) => {
  const now = clock().toISOString();
  let created = 0;
  for (const partner of demoPartners) {
    const outcome = await partners.putIfAbsent({ ...partner, createdAt: now, updatedAt: now, version: 1 });
    if (outcome === 'created') created += 1;
  }
  return { partners: { created, existing: demoPartners.length - created } };
};
