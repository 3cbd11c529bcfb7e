// CloudFront Function (cloudfront-js-2.0), viewer request, on the portal's bucket behaviour only.
// A path whose last segment has no dot is a portal route (/partners/42): serve index.html and let
// the client-side router take it. Files (/assets/app.3f2a.js, /config.json) pass through unchanged.
// Rewriting here, not with distribution-wide 403/404 error pages, keeps the API's own 404
// problem+json responses intact.
// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the function named handler.
function handler(event) {
  const request = event.request;
  const lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (!lastSegment.includes('.')) {
    request.uri = '/index.html';
  }
  return request;
}
