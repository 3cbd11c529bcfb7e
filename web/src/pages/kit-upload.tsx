import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import {
  KIT_UPLOAD_BYTES,
  RejectedUploadSchema,
  type UploadResult,
  UploadResultSchema,
} from '../api/kits.ts';
import { ApiError, isAbort } from '../api/problem.ts';
import type { KitReport, KitVersionDetail } from '../api/types.ts';
import { useUpload } from '../auth/auth-context.tsx';
import { KitStatusBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { Spinner } from '../components/loading.tsx';
import { ValidationReport } from '../components/validation-report.tsx';
import { VersionActions } from '../components/version-actions.tsx';
import { formatBytes } from '../format.ts';
import { entriesOf, filesOf, type KitArchive, type KitFile, readEntries, toKitArchive } from '../kits/zip.ts';
import { Link } from '../router.tsx';

type UploadState =
  | { phase: 'idle' }
  | { phase: 'reading' }
  | { phase: 'uploading'; archive: KitArchive; loaded: number }
  | { phase: 'validating'; archive: KitArchive }
  | { phase: 'done'; archive: KitArchive; result: UploadResult }
  | { phase: 'rejected'; archive: KitArchive; report: KitReport }
  | { phase: 'failed'; error: unknown };

class TooLargeError extends Error {}

/** A kit the API could not read comes back as a report (422); anything else is an error. */
function failure(error: unknown, archive: KitArchive | undefined): UploadState {
  const rejected = error instanceof ApiError ? RejectedUploadSchema.safeParse(error.problem) : null;
  if (archive !== undefined && rejected?.success)
    return { phase: 'rejected', archive, report: rejected.data.report };
  return { phase: 'failed', error };
}

/** Drag-over highlighting that survives the enter/leave pairs of the zone's own children. */
function useDropTarget(busy: boolean, onDrop: (transfer: DataTransfer) => void) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const handlers = {
    onDragEnter: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    },
    onDragLeave: () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (!busy) onDrop(event.dataTransfer);
    },
  };
  return { dragging, handlers };
}

type KitUploadProps = {
  /** A version was stored, or its status changed here: the kit list is out of date. */
  onChanged: () => void;
};

/**
 * The upload drop zone: a .zip or a kit folder (zipped here), by drag and drop or by picking
 * it; then the upload's progress, and the validation report the API answers with.
 */
export function KitUpload({ onChanged }: KitUploadProps) {
  const upload = useUpload();
  const id = useId();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const zipInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const controller = useRef<AbortController | null>(null);
  const busy = state.phase === 'reading' || state.phase === 'uploading' || state.phase === 'validating';

  useEffect(() => () => controller.current?.abort(), []);

  async function send(collect: () => Promise<KitFile[]>) {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState({ phase: 'reading' });
    let archive: KitArchive | undefined;
    try {
      archive = await toKitArchive(await collect());
      if (archive.blob.size > KIT_UPLOAD_BYTES) {
        throw new TooLargeError(
          `${archive.name} is ${formatBytes(archive.blob.size)}; a kit upload may be at most ${formatBytes(KIT_UPLOAD_BYTES)}. Make the images smaller and try again.`,
        );
      }
      const sending = archive;
      setState({ phase: 'uploading', archive: sending, loaded: 0 });
      const response = await upload('/api/kits', sending.blob, {
        contentType: 'application/zip',
        signal: current.signal,
        onProgress: ({ loaded, total }) => {
          if (current.signal.aborted) return;
          const size = total || sending.blob.size;
          setState(
            loaded >= size
              ? { phase: 'validating', archive: sending }
              : { phase: 'uploading', archive: sending, loaded },
          );
        },
      });
      const result = UploadResultSchema.parse(await response.json());
      if (current.signal.aborted) return;
      setState({ phase: 'done', archive: sending, result });
      onChanged();
    } catch (error) {
      if (!current.signal.aborted && !isAbort(error)) setState(failure(error, archive));
    }
  }

  function cancel() {
    controller.current?.abort();
    setState({ phase: 'idle' });
  }

  const { dragging, handlers } = useDropTarget(busy, (transfer) => {
    // Entries must be taken before the drop handler returns; reading them can wait.
    const entries = entriesOf(transfer);
    const files = filesOf(transfer.files);
    void send(() => (entries === null ? Promise.resolve(files) : readEntries(entries)));
  });

  function onPicked(input: HTMLInputElement) {
    const files = input.files === null ? [] : filesOf(input.files);
    input.value = '';
    if (files.length > 0) void send(() => Promise.resolve(files));
  }

  function onVersionChanged(detail: KitVersionDetail) {
    if (state.phase === 'done') {
      setState({ ...state, result: { ...state.result, status: detail.status } });
    }
    onChanged();
  }

  return (
    <section className="card upload" aria-labelledby={`${id}-title`} data-testid="kit-upload">
      <h2 id={`${id}-title`}>Upload a kit</h2>
      <fieldset
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}${busy ? ' drop-zone-busy' : ''}`}
        data-testid="drop-zone"
        {...handlers}
      >
        <legend className="drop-title">
          <svg className="drop-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
            <path
              d="M24 31V13m0 0-7 7m7-7 7 7M10 30v5a4 4 0 0 0 4 4h20a4 4 0 0 0 4-4v-5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>Drag a kit folder or its .zip here</span>
        </legend>
        <p className="muted small drop-hint">
          The folder with <code>kit.json</code>, templates and <code>assets/</code>, at most{' '}
          {formatBytes(KIT_UPLOAD_BYTES)} zipped. Uploading a version again replaces its draft.
        </p>
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => zipInput.current?.click()}>
            Choose a .zip
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => folderInput.current?.click()}
          >
            Choose a folder
          </button>
        </div>
        <input
          ref={zipInput}
          type="file"
          accept=".zip,application/zip,application/x-zip-compressed"
          hidden
          tabIndex={-1}
          aria-label="Kit .zip file"
          data-testid="kit-zip-input"
          onChange={(event) => onPicked(event.currentTarget)}
        />
        <input
          ref={(input) => {
            folderInput.current = input;
            input?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-label="Kit folder"
          data-testid="kit-folder-input"
          onChange={(event) => onPicked(event.currentTarget)}
        />
      </fieldset>

      <div
        role="status"
        aria-live="polite"
        className="upload-status"
        data-testid="upload-status"
        data-phase={state.phase}
      >
        <UploadProgress state={state} onCancel={cancel} />
      </div>

      {state.phase === 'failed' && (
        <div className="upload-outcome">
          {state.error instanceof TooLargeError ? (
            <div className="callout callout-error" role="alert">
              <p className="callout-title">The kit is too large to upload</p>
              <p>{state.error.message}</p>
            </div>
          ) : (
            <ErrorView error={state.error} />
          )}
        </div>
      )}
      {state.phase === 'rejected' && (
        <div className="upload-outcome" data-testid="upload-result">
          <ValidationReport report={state.report} title={`${state.archive.name} could not be read`} />
        </div>
      )}
      {state.phase === 'done' && (
        <div className="upload-outcome" data-testid="upload-result">
          <div className="upload-outcome-head">
            <p className="upload-outcome-title">
              <strong>{state.result.id}</strong> <span className="version-tag">{state.result.version}</span>{' '}
              <KitStatusBadge status={state.result.status} />
            </p>
            <div className="actions">
              <VersionActions
                kitId={state.result.id}
                version={state.result.version}
                status={state.result.status}
                errors={state.result.report.errors.length}
                onChanged={onVersionChanged}
              />
              <Link
                to={`/kits/${encodeURIComponent(state.result.id)}?version=${encodeURIComponent(state.result.version)}`}
                className="button button-secondary"
              >
                Open version {state.result.version}
              </Link>
            </div>
          </div>
          <ValidationReport report={state.result.report} status={state.result.status} />
        </div>
      )}
    </section>
  );
}

function UploadProgress({ state, onCancel }: { state: UploadState; onCancel: () => void }) {
  switch (state.phase) {
    case 'reading':
      return <Spinner label="Reading and zipping the kit…" />;
    case 'uploading': {
      const total = state.archive.blob.size;
      const percent = total === 0 ? 0 : Math.round((state.loaded / total) * 100);
      return (
        <div className="upload-progress">
          <span>
            Uploading <strong>{state.archive.name}</strong>
            {state.archive.zipped ? ` (${state.archive.files} files zipped)` : ''}: {percent}% of{' '}
            {formatBytes(total)}
          </span>
          <progress max={total} value={state.loaded} aria-label="Upload progress" />
          <button type="button" className="button button-quiet button-small" onClick={onCancel}>
            Cancel upload
          </button>
        </div>
      );
    }
    case 'validating':
      return <Spinner label={`Uploaded ${state.archive.name}; validating the kit…`} />;
    case 'done':
      return (
        <span className="visually-hidden">
          {state.result.report.errors.length === 0
            ? `Uploaded ${state.result.id} ${state.result.version}: ready to publish.`
            : `Uploaded ${state.result.id} ${state.result.version} with ${state.result.report.errors.length} errors.`}
        </span>
      );
    case 'rejected':
      return <span className="visually-hidden">{`${state.archive.name} could not be read.`}</span>;
    default:
      return null;
  }
}
