/** Connected tests talk to emulators on this machine and refuse anything else (ElectroDB's habit). */
export const assertLocalEndpoint = (endpoint: string): string => {
  const { hostname } = new URL(endpoint);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`refusing to run integration tests against ${endpoint}: not a local emulator`);
  }
  return endpoint;
};
