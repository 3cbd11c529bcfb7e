import { canonicalJson } from '#functions/audit/hashing';
import { popLeadsCsv } from './csv';
import { digestBytes, digestJson } from './digest';
import type { PopPack } from './schema';

/** The most an evidence item's content may weigh, as canonical JSON (the audit log takes up to 256 KB). */
export const MAX_EVIDENCE_BYTES = 64 * 1024;

type Content = Record<string, unknown>;

const size = (content: Content) => Buffer.byteLength(canonicalJson(content), 'utf8');

/**
 * Keeps an item under the limit: the named bulky fields go by digest when the whole is too big
 * (small campaigns keep them inline); if it is still too big, the whole content goes by digest.
 */
const withinLimit = (content: Content, bulky: readonly string[] = []): Content => {
  if (size(content) <= MAX_EVIDENCE_BYTES) return content;
  const slimmer: Content = { ...content };
  for (const field of bulky) slimmer[field] = { byDigest: digestJson(content[field]) };
  return size(slimmer) <= MAX_EVIDENCE_BYTES ? slimmer : { byDigest: digestJson(content) };
};

/**
 * The evidence items to append to the tamper-evident audit log, one entry each, in a fixed
 * order. Small facts go inline; the rendered email and landing page, the lead list and the
 * leads CSV by their SHA-256 and byte size (the same bytes as the archive's files, so an
 * auditor can check the archive against the log). The last item seals the whole pack.
 */
export const popEvidenceItems = (pack: PopPack): { item: string; content: Content }[] => {
  const { campaign, leads } = pack;
  const { items, ...leadCounts } = leads;
  return [
    { item: 'pop.claim', content: { ...pack.claim } },
    { item: 'pop.request', content: { ...pack.request } },
    {
      item: 'pop.campaign',
      content: withinLimit(
        campaign
          ? {
              id: campaign.id,
              name: campaign.name,
              status: campaign.status,
              slug: campaign.slug,
              listId: campaign.listId,
              kit: campaign.kit,
              brand: campaign.brand,
              slots: campaign.slots,
              renderingNote: campaign.renderingNote,
            }
          : { missing: true, campaignId: pack.claim.campaignId },
        ['slots', 'brand'],
      ),
    },
    {
      item: 'pop.email',
      content: campaign
        ? withinLimit(
            {
              subject: campaign.email.subject,
              preheader: campaign.email.preheader,
              html: digestBytes(campaign.email.html),
              text: digestBytes(campaign.email.text),
            },
            ['subject', 'preheader'],
          )
        : { missing: true },
    },
    {
      item: 'pop.landing',
      content: campaign ? { html: digestBytes(campaign.landingHtml) } : { missing: true },
    },
    { item: 'pop.audience', content: withinLimit({ ...pack.audience }, ['imports']) },
    { item: 'pop.send-log', content: withinLimit({ ...pack.sendLog }, ['sendHours']) },
    { item: 'pop.engagement', content: { ...pack.engagement } },
    {
      item: 'pop.leads',
      content: withinLimit(
        {
          ...leadCounts,
          items: { count: items.length, ...digestJson(items) },
          csv: digestBytes(popLeadsCsv(pack)),
        },
        ['byStatus', 'pipeline', 'won'],
      ),
    },
    { item: 'pop.timeline', content: { ...pack.timeline } },
    { item: 'pop.anomalies', content: withinLimit({ anomalies: pack.anomalies }, ['anomalies']) },
    {
      item: 'pop.pack',
      content: {
        schemaVersion: pack.schemaVersion,
        claimId: pack.claim.claimId,
        anomalyCodes: pack.anomalies.map((a) => a.code),
        packJson: digestJson(pack),
      },
    },
  ];
};
