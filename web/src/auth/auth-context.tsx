import { createContext, type ReactNode, useContext, useMemo, useRef, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/client.ts';
import {
  type AuthedFetchOptions,
  createAuthedFetch,
  type UploadProgress,
  xhrTransport,
} from '../api/http.ts';
import { navigate } from '../router.tsx';
import { cognitoLogoutUrl } from './cognito.ts';
import type { PortalConfig } from './config.ts';
import {
  clearSession,
  readSession,
  rememberReturnTo,
  type Session,
  takeReturnTo,
  writeSession,
} from './session.ts';

export type UploadOptions = {
  contentType: string;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

/** POSTs a binary body with the session's token, reporting progress; errors as the client's. */
export type Upload = (path: string, body: Blob, options: UploadOptions) => Promise<Response>;

type Auth = {
  config: PortalConfig;
  session: Session | null;
  client: ApiClient;
  upload: Upload;
  /** Shown on the login page after the API said the session is no longer valid. */
  notice: string | null;
  signIn: (session: Session) => void;
  signOut: () => void;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ config, children }: { config: PortalConfig; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => readSession());
  const [notice, setNotice] = useState<string | null>(null);
  // The client outlives renders; it reads the token through this ref at request time.
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const [fetchOptions] = useState<AuthedFetchOptions>(() => ({
    getToken: () => sessionRef.current?.token ?? null,
    onUnauthorized: () => {
      if (sessionRef.current === null) return;
      rememberReturnTo(window.location.pathname + window.location.search);
      clearSession();
      sessionRef.current = null;
      setSession(null);
      setNotice('Your session has ended. Please sign in again.');
      navigate('/login', { replace: true });
    },
  }));
  const [client] = useState(() => createApiClient(createAuthedFetch(fetchOptions)));
  const [upload] = useState(() => {
    const send: Upload = (path, body, options) =>
      createAuthedFetch(fetchOptions, xhrTransport(options.onProgress))(path, {
        method: 'POST',
        body,
        headers: { 'Content-Type': options.contentType },
        signal: options.signal ?? null,
      });
    return send;
  });

  const auth = useMemo<Auth>(
    () => ({
      config,
      session,
      client,
      upload,
      notice,
      signIn: (next) => {
        writeSession(next);
        sessionRef.current = next;
        setNotice(null);
        setSession(next);
        navigate(takeReturnTo(), { replace: true });
      },
      signOut: () => {
        // Leave the page first so nothing renders a signed-out protected route on the way.
        if (config.auth.mode === 'dev') navigate('/login');
        clearSession();
        sessionRef.current = null;
        setSession(null);
        setNotice(null);
        if (config.auth.mode === 'cognito') window.location.assign(cognitoLogoutUrl(config.auth));
      },
    }),
    [config, session, client, upload, notice],
  );

  return <AuthContext value={auth}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error('useAuth must be used inside <AuthProvider>');
  return auth;
}

/** The API client for components below a signed-in layout. */
export function useApi(): ApiClient {
  return useAuth().client;
}

/** Binary uploads with progress, for components below a signed-in layout. */
export function useUpload(): Upload {
  return useAuth().upload;
}
