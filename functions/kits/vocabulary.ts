/**
 * The closed vocabulary a kit template may use (campaigns/README.md). The validator walks each
 * template's AST against it; the renderer registers exactly these helpers and no others.
 */
export type TemplateKind = 'subject' | 'preheader' | 'html' | 'text' | 'landing' | 'social' | 'consent';

export const brandFields = [
  'company_name',
  'logo_url',
  'primary_colour',
  'secondary_colour',
  'website',
  'phone',
  'sender_name',
] as const;
export const vendorFields = ['name', 'website'] as const;
export const recipientFields = ['first_name', 'last_name', 'company'] as const;

/** Root values that are not namespaces: URLs the platform fills in per recipient. */
export const rootValues = ['unsubscribe_url', 'landing_url'] as const;

/** Helpers and the template kinds they may appear in. */
export const helperKinds: Record<string, readonly TemplateKind[]> = {
  link: ['html', 'text', 'landing', 'social'],
  asset: ['html', 'landing'],
  format_date: ['subject', 'preheader', 'html', 'text', 'landing', 'social'],
  fallback: ['subject', 'preheader', 'html', 'text', 'landing', 'social', 'consent'],
  postal_address: ['html', 'text', 'landing'],
  lead_form: ['landing'],
};

export const blockHelpers = ['if', 'unless'] as const;

/** Per-recipient values a landing page or social post has no recipient for. */
export const recipientKinds: readonly TemplateKind[] = ['subject', 'preheader', 'html', 'text'];
