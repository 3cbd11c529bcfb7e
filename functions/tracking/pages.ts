/**
 * The unsubscribe pages: static HTML with no script and nothing interpolated from the request,
 * so there is nothing to escape. The form posts to the page's own URL.
 */
export const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>body{font-family:system-ui,Arial,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#0f172a;line-height:1.5}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#0f172a;color:#fff;cursor:pointer}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

export const unsubscribePage = page(
  'Unsubscribe',
  '<p>Stop receiving these emails from this sender? Press the button to confirm.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
);

export const unsubscribeDonePage = page(
  'You are unsubscribed',
  '<p>This sender will not email this address again. It can take a moment for emails already on their way to stop.</p>',
);

export const unsubscribeNotFoundPage = page(
  'Link not recognised',
  '<p>This unsubscribe link is not valid. Use the link in the most recent email, or reply to it and ask to be removed.</p>',
);
