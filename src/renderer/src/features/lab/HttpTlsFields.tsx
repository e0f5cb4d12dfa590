/**
 * The HTTP lab's TLS settings: HTTPS on the embedded server (a certificate made for the run, which
 * the client trusts and nothing else), and TLS session resumption on or off (the client's
 * `maxCachedSessions`, the same option in Node's https.Agent and in undici).
 */
import type { HttpRunConfig } from '@shared/api-http';
import { CheckField } from './form-fields';

/** what "resumption on" sets: Node's and undici's own default */
const DEFAULT_CACHED_SESSIONS = 100;

interface Props {
  form: HttpRunConfig;
  onChange: (form: HttpRunConfig) => void;
  disabled: boolean;
}

export function HttpTlsFields({ form, onChange, disabled }: Props) {
  const embedded = form.url === null;
  const secure = embedded ? form.tls : form.url?.startsWith('https:') === true;
  return (
    <>
      {embedded ? (
        <CheckField
          label="HTTPS (TLS)"
          hint="a certificate made for this run; the client trusts only it"
          checked={form.tls}
          onChange={(tls) => onChange({ ...form, tls })}
          disabled={disabled}
        />
      ) : null}
      {secure ? (
        <CheckField
          label="Resume TLS sessions"
          hint={
            form.maxCachedSessions > 0
              ? 'a new connection reuses an earlier session: a shorter handshake'
              : 'every new connection pays a full handshake'
          }
          checked={form.maxCachedSessions > 0}
          onChange={(resume) => onChange({ ...form, maxCachedSessions: resume ? DEFAULT_CACHED_SESSIONS : 0 })}
          disabled={disabled}
        />
      ) : null}
    </>
  );
}
