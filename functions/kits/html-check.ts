import { parse } from 'parse5';
import type { Problem } from './template-check';

/**
 * Email- and landing-page safety of a template's HTML, checked on the template source itself
 * so each problem points at the file and line the author wrote. Rendered-output checks (size,
 * the unsubscribe link) live in validate.ts.
 */
interface ElementNode {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: unknown[];
  content?: unknown;
  sourceCodeLocation?: { startLine: number; startCol: number } | null;
}

const isElement = (node: unknown): node is ElementNode =>
  typeof node === 'object' && node !== null && 'nodeName' in node && 'tagName' in node;

const walk = (node: unknown, visit: (el: ElementNode) => void) => {
  if (typeof node !== 'object' || node === null) return;
  if (isElement(node)) visit(node);
  const children = 'childNodes' in node && Array.isArray(node.childNodes) ? node.childNodes : [];
  for (const child of children) walk(child, visit);
  if ('content' in node) walk(node.content, visit);
};

const attr = (el: ElementNode, name: string): string | undefined =>
  el.attrs?.find((a) => a.name === name)?.value;

const EMAIL_FORBIDDEN = new Set([
  'script',
  'form',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'applet',
  'base',
  'input',
  'button',
  'select',
  'textarea',
  'video',
  'audio',
]);
const LANDING_FORBIDDEN = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'applet',
  'base',
  'form',
]);

const TRACKED_HREF = /^\s*\{\{\s*(link\b|unsubscribe_url\s*\}\})/;
const SAFE_SCHEMES = /^\s*(mailto:|tel:)/i;
const IMAGE_SRC =
  /^\s*(\{\{\s*(asset\s+('[^']+'|"[^"]+")|brand\.logo_url|slots\.[a-z][a-z0-9_]*)\s*\}\}|https:\/\/\S+)\s*$/;

const problemAt = (
  file: string,
  el: ElementNode,
  code: string,
  message: string,
  severity: Problem['severity'] = 'error',
): Problem => ({
  severity,
  code,
  file,
  line: el.sourceCodeLocation?.startLine,
  column: el.sourceCodeLocation?.startCol,
  message,
});

const commonChecks = (el: ElementNode, file: string, problems: Problem[]) => {
  for (const { name, value } of el.attrs ?? []) {
    if (name.startsWith('on'))
      problems.push(
        problemAt(file, el, 'html-event-handler', `<${el.tagName} ${name}>: event handlers are not allowed`),
      );
    if (/^\s*(javascript|vbscript|data):/i.test(value) && name !== 'alt') {
      problems.push(
        problemAt(
          file,
          el,
          'html-unsafe-url',
          `<${el.tagName} ${name}>: ${value.split(':')[0]}: URLs are not allowed`,
        ),
      );
    }
  }
  if (el.tagName === 'link' && /stylesheet/i.test(attr(el, 'rel') ?? '')) {
    problems.push(
      problemAt(file, el, 'html-external-css', 'external stylesheets are not allowed: inline the CSS'),
    );
  }
  if (el.tagName === 'style') {
    const css = (el.childNodes ?? [])
      .map((child) => (typeof child === 'object' && child && 'value' in child ? String(child.value) : ''))
      .join('');
    if (/@import|url\(\s*['"]?https?:/i.test(css)) {
      problems.push(problemAt(file, el, 'html-external-css', '<style> must not @import or load remote URLs'));
    }
  }
  if (el.tagName === 'meta' && /refresh/i.test(attr(el, 'http-equiv') ?? '')) {
    problems.push(problemAt(file, el, 'html-meta-refresh', 'meta refresh is not allowed'));
  }
  if (el.tagName === 'img') {
    if (attr(el, 'alt') === undefined)
      problems.push(problemAt(file, el, 'html-img-alt', '<img> needs alt text (alt="" for decoration)'));
    const src = attr(el, 'src') ?? '';
    if (/^\s*\{\{\s*asset\s*$/.test(src)) {
      problems.push(
        problemAt(
          file,
          el,
          'html-img-src',
          `<img src="{{asset "…"}}">: inside a double-quoted attribute write {{asset 'hero.png'}}`,
        ),
      );
    } else if (!IMAGE_SRC.test(src)) {
      problems.push(
        problemAt(
          file,
          el,
          'html-img-src',
          `<img src="${src}">: use {{asset '…'}}, {{brand.logo_url}}, an image slot or an https URL`,
        ),
      );
    }
  }
};

export const checkEmailHtml = (source: string, file: string): Problem[] => {
  const problems: Problem[] = [];
  const doc = parse(source, { sourceCodeLocationInfo: true });
  let sawHtmlLang = false;
  walk(doc, (el) => {
    const tag = el.tagName ?? '';
    if (tag === 'html' && attr(el, 'lang')) sawHtmlLang = true;
    if (EMAIL_FORBIDDEN.has(tag)) {
      problems.push(
        problemAt(
          file,
          el,
          'email-unsafe-tag',
          `<${tag}> is not allowed in email (it is stripped or flagged by mail clients)`,
        ),
      );
    }
    commonChecks(el, file, problems);
    if (tag === 'a') {
      const href = attr(el, 'href');
      if (href !== undefined && !TRACKED_HREF.test(href) && !SAFE_SCHEMES.test(href)) {
        problems.push(
          problemAt(
            file,
            el,
            'email-untracked-link',
            `href="${href}": write links as {{link …}} (or {{unsubscribe_url}}, mailto:, tel:)`,
          ),
        );
      }
    }
    if (tag === 'img' && attr(el, 'width') === undefined) {
      problems.push(
        problemAt(
          file,
          el,
          'email-img-width',
          '<img> without width renders at full size in Outlook',
          'warning',
        ),
      );
    }
    if (tag === 'table' && attr(el, 'role') !== 'presentation') {
      problems.push(
        problemAt(
          file,
          el,
          'email-table-role',
          'layout tables should carry role="presentation" for screen readers',
          'warning',
        ),
      );
    }
  });
  if (!sawHtmlLang) {
    problems.push({
      severity: 'warning',
      code: 'email-html-lang',
      file,
      message: '<html lang="…"> helps screen readers and spam filters',
    });
  }
  return problems;
};

export const checkLandingHtml = (source: string, file: string): Problem[] => {
  const problems: Problem[] = [];
  walk(parse(source, { sourceCodeLocationInfo: true }), (el) => {
    const tag = el.tagName ?? '';
    if (LANDING_FORBIDDEN.has(tag)) {
      const hint = tag === 'form' ? ': place {{lead_form}} where the form goes' : '';
      problems.push(
        problemAt(file, el, 'landing-unsafe-tag', `<${tag}> is not allowed on landing pages${hint}`),
      );
    }
    commonChecks(el, file, problems);
  });
  return problems;
};

/** Names of the form controls in a rendered landing page. */
export const formControlNames = (html: string): string[] => {
  const names: string[] = [];
  walk(parse(html), (el) => {
    if (['input', 'select', 'textarea'].includes(el.tagName ?? '')) {
      const name = attr(el, 'name');
      if (name) names.push(name);
    }
  });
  return names;
};

/** Hrefs of the links in rendered HTML, and its visible text length and image count. */
export const linkAndTextStats = (html: string): { hrefs: string[]; textLength: number; images: number } => {
  const hrefs: string[] = [];
  let images = 0;
  let textLength = 0;
  const visitText = (node: unknown, hidden: boolean) => {
    if (typeof node !== 'object' || node === null) return;
    if (
      'nodeName' in node &&
      node.nodeName === '#text' &&
      'value' in node &&
      typeof node.value === 'string' &&
      !hidden
    ) {
      textLength += node.value.replace(/\s+/g, ' ').trim().length;
    }
    const isHidden =
      hidden ||
      (isElement(node) &&
        (['style', 'title', 'head'].includes(node.tagName ?? '') ||
          /display:\s*none/i.test(attr(node, 'style') ?? '')));
    if (isElement(node)) {
      if (node.tagName === 'a') {
        const href = attr(node, 'href');
        if (href) hrefs.push(href);
      }
      if (node.tagName === 'img') images += 1;
    }
    const children = 'childNodes' in node && Array.isArray(node.childNodes) ? node.childNodes : [];
    for (const child of children) visitText(child, isHidden);
  };
  visitText(parse(html), false);
  return { hrefs, textLength, images };
};
