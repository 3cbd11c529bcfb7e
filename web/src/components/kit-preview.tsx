import { type KeyboardEvent, useId, useRef, useState } from 'react';
import type { KitPreview } from '../api/types.ts';
import { plural } from '../format.ts';
import type { LivePreview } from '../use-live-preview.ts';
import { ErrorView } from './error-view.tsx';
import { SkeletonLines } from './loading.tsx';

const TABS = [
  { id: 'email', label: 'Email' },
  { id: 'text', label: 'Plain text' },
  { id: 'landing', label: 'Landing page' },
  { id: 'social', label: 'Social posts' },
] as const;
export type PreviewTab = (typeof TABS)[number]['id'];
type Tab = PreviewTab;

const WIDTHS = { desktop: 640, mobile: 375 } as const;
type Width = keyof typeof WIDTHS;

const SOCIAL_LABELS: Record<string, { name: string; limit?: number }> = {
  linkedin: { name: 'LinkedIn', limit: 3000 },
  x: { name: 'X', limit: 280 },
};

type KitPreviewPanelProps = {
  live: LivePreview;
  /** Who the email comes from in the inbox line: the partner's name, or a sample. */
  sender: string;
  /** Which tabs to offer (all by default): an approval's render has no social posts. */
  tabs?: readonly Tab[];
};

function statusText(live: LivePreview): string {
  switch (live.state) {
    case 'loading':
      return live.preview === null ? 'Rendering the preview…' : 'Updating the preview…';
    case 'ready':
      return 'Preview up to date';
    case 'invalid': {
      const count = Object.keys(live.fieldErrors).length;
      return `Preview not updated: fix ${count === 1 ? 'the field' : plural(count, 'field')} marked in the form`;
    }
    case 'error':
      return 'The preview could not be updated';
  }
}

/**
 * The co-branded preview: email (inbox line and the HTML), plain text, landing page and social
 * posts. Rendered HTML only ever goes into `<iframe sandbox="">`: no scripts, no same origin,
 * no forms, no navigation of the portal.
 */
export function KitPreviewPanel({ live, sender, tabs }: KitPreviewPanelProps) {
  const id = useId();
  const shown = tabs === undefined ? TABS : TABS.filter((item) => tabs.includes(item.id));
  const [tab, setTab] = useState<Tab>('email');
  const [width, setWidth] = useState<Width>('desktop');
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const { preview } = live;

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % shown.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + shown.length) % shown.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = shown.length - 1;
    else return;
    event.preventDefault();
    const target = shown[next];
    if (target === undefined) return;
    setTab(target.id);
    tabRefs.current.get(target.id)?.focus();
  }

  return (
    <section
      className="card preview"
      aria-labelledby={`${id}-title`}
      aria-busy={live.state === 'loading'}
      data-testid="kit-preview"
      data-state={live.state}
    >
      <div className="preview-head">
        <h2 id={`${id}-title`}>Preview</h2>
        <p
          className={`preview-status preview-status-${live.state}`}
          role="status"
          aria-live="polite"
          data-testid="preview-status"
          data-state={live.state}
        >
          <span className="preview-status-dot" aria-hidden="true" />
          {statusText(live)}
        </p>
      </div>
      <div className="preview-toolbar">
        <div role="tablist" aria-label="Preview" className="tabs">
          {shown.map((item, index) => (
            <button
              key={item.id}
              ref={(element) => {
                if (element === null) tabRefs.current.delete(item.id);
                else tabRefs.current.set(item.id, element);
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${item.id}`}
              aria-selected={tab === item.id}
              aria-controls={`${id}-panel-${item.id}`}
              tabIndex={tab === item.id ? 0 : -1}
              className="tab"
              onClick={() => setTab(item.id)}
              onKeyDown={(event) => onTabKey(event, index)}
            >
              {item.label}
            </button>
          ))}
        </div>
        {(tab === 'email' || tab === 'landing') && (
          <fieldset className="segmented">
            <legend className="visually-hidden">Preview width</legend>
            {(Object.keys(WIDTHS) as Width[]).map((option) => (
              <button
                key={option}
                type="button"
                className="segment"
                aria-pressed={width === option}
                onClick={() => setWidth(option)}
              >
                {option === 'desktop' ? 'Desktop' : 'Mobile'}
                <span className="visually-hidden"> width, {WIDTHS[option]} pixels</span>
              </button>
            ))}
          </fieldset>
        )}
      </div>
      {live.state === 'error' && <ErrorView error={live.error} onRetry={live.retry} />}
      <div
        role="tabpanel"
        id={`${id}-panel-${tab}`}
        aria-labelledby={`${id}-tab-${tab}`}
        className={`preview-panel${live.state === 'loading' && preview !== null ? ' preview-stale' : ''}`}
      >
        {preview === null ? (
          live.state === 'loading' ? (
            <SkeletonLines lines={6} label="Rendering the preview…" />
          ) : (
            <p className="muted">No preview yet.</p>
          )
        ) : (
          <PanelContent tab={tab} preview={preview} width={WIDTHS[width]} sender={sender} />
        )}
      </div>
    </section>
  );
}

function PanelContent({
  tab,
  preview,
  width,
  sender,
}: {
  tab: Tab;
  preview: KitPreview;
  width: number;
  sender: string;
}) {
  switch (tab) {
    case 'email':
      return (
        <>
          <InboxLine sender={sender} subject={preview.subject} preheader={preview.preheader} />
          <Frame title="Email preview" html={preview.html} width={width} testId="email-frame" />
        </>
      );
    case 'text':
      return (
        <pre className="preview-text" data-testid="text-preview">
          {preview.text}
        </pre>
      );
    case 'landing':
      return (
        <Frame title="Landing page preview" html={preview.landing} width={width} testId="landing-frame" />
      );
    case 'social':
      return <SocialPosts social={preview.social} />;
  }
}

function InboxLine({ sender, subject, preheader }: { sender: string; subject: string; preheader: string }) {
  return (
    <div className="inbox-line" data-testid="inbox-line">
      <span className="avatar avatar-partner" aria-hidden="true">
        {sender.trim().charAt(0).toUpperCase()}
      </span>
      <div className="inbox-text">
        <span className="inbox-from">{sender}</span>
        <span className="inbox-subject">
          <strong data-testid="preview-subject">{subject}</strong>
          {preheader && (
            <span className="inbox-preheader" data-testid="preview-preheader">
              {' '}
              — {preheader}
            </span>
          )}
        </span>
      </div>
      <span className="inbox-time">now</span>
    </div>
  );
}

function Frame({
  title,
  html,
  width,
  testId,
}: {
  title: string;
  html: string;
  width: number;
  testId: string;
}) {
  return (
    <div className="frame-stage">
      <iframe
        title={title}
        sandbox=""
        srcDoc={html}
        className="preview-frame"
        style={{ width: `${width}px` }}
        data-testid={testId}
        data-width={width}
      />
    </div>
  );
}

function SocialPosts({ social }: { social: Record<string, string> }) {
  const posts = Object.entries(social);
  if (posts.length === 0) return <p className="muted">This kit has no social posts.</p>;
  return (
    <ul className="social-posts">
      {posts.map(([network, text]) => {
        const known = SOCIAL_LABELS[network];
        const length = [...text].length;
        const over = known?.limit !== undefined && length > known.limit;
        return (
          <li key={network} className="social-post" data-testid="social-post" data-network={network}>
            <div className="social-post-head">
              <strong>{known?.name ?? network}</strong>
              <span className={over ? 'char-counter' : 'muted small'} data-state={over ? 'over' : 'ok'}>
                {known?.limit === undefined ? `${length} characters` : `${length} / ${known.limit}`}
              </span>
            </div>
            <p className="social-post-text">{text}</p>
          </li>
        );
      })}
    </ul>
  );
}
