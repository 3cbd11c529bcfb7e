import { useId, useState } from 'react';
import type { KitStatus, KitVersionDetail } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { plural } from '../format.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorView } from './error-view.tsx';

type Action = 'publish' | 'retire';

type VersionActionsProps = {
  kitId: string;
  version: string;
  status: KitStatus;
  /** Validation errors: a draft with any cannot be published. */
  errors: number;
  /** The version partners see now, which a publish supersedes. */
  publishedVersion?: string | null;
  onChanged: (detail: KitVersionDetail, action: Action) => void;
  small?: boolean;
};

/** Publish (an error-free draft) or retire (a published version), each after a confirmation. */
export function VersionActions({
  kitId,
  version,
  status,
  errors,
  publishedVersion = null,
  onChanged,
  small = false,
}: VersionActionsProps) {
  const client = useApi();
  const id = useId();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const size = small ? ' button-small' : '';

  function open(action: Action) {
    setError(null);
    setConfirming(action);
  }

  async function run(action: Action) {
    setBusy(true);
    setError(null);
    try {
      const endpoint = client.api.kits[':kitId'].versions[':version'];
      const param = { kitId, version };
      const response =
        action === 'publish'
          ? await endpoint.publish.$post({ param })
          : await endpoint.retire.$post({ param });
      const detail = await response.json();
      setConfirming(null);
      onChanged(detail, action);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (status === 'retired') return null;

  return (
    <>
      {status === 'draft' && (
        <>
          <button
            type="button"
            className={`button${size}`}
            aria-label={`Publish ${version}`}
            disabled={errors > 0}
            aria-describedby={errors > 0 ? `${id}-why` : undefined}
            onClick={() => open('publish')}
          >
            Publish
          </button>
          {errors > 0 && (
            <span id={`${id}-why`} className="visually-hidden">
              {`${plural(errors, 'validation error')}: fix the kit and upload it again to publish.`}
            </span>
          )}
        </>
      )}
      {status === 'published' && (
        <button
          type="button"
          className={`button button-secondary${size}`}
          aria-label={`Retire ${version}`}
          onClick={() => open('retire')}
        >
          Retire
        </button>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === 'retire' ? `Retire ${kitId} ${version}?` : `Publish ${kitId} ${version}?`}
        confirmLabel={confirming === 'retire' ? `Retire ${version}` : `Publish ${version}`}
        tone={confirming === 'retire' ? 'danger' : 'default'}
        busy={busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming !== null) void run(confirming);
        }}
      >
        {confirming === 'retire' ? (
          <p>
            Partners can no longer start new campaigns with this version; campaigns already launched keep it.
            The library falls back to the highest other published version, if there is one.
          </p>
        ) : (
          <p>
            A published version is immutable. Eligible partners see it in their library
            {publishedVersion !== null && publishedVersion !== version
              ? `, in place of ${publishedVersion}.`
              : ' straight away.'}
          </p>
        )}
        {error !== null && <ErrorView error={error} />}
      </ConfirmDialog>
    </>
  );
}
