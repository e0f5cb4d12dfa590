/**
 * The learner explanations of what TLS adds to a run's connections, in explain.ts's template
 * syntax (see `fillTemplate` there); explain-tls.ts decides which apply and fills in the values.
 * Kept apart from explain.ts so that file stays about TCP and HTTP keep-alive.
 *
 * Sources: RFC 8446 (TLS 1.3) §2 (a full handshake: one round trip before application data),
 * §2.2 (resumption with a pre-shared key: no Certificate or CertificateVerify from the server),
 * §4.6.1 (NewSessionTicket); RFC 5246 (TLS 1.2) §7.3 (its full handshake: two round trips).
 *
 * Pure TypeScript: no imports, no node:*, no DOM.
 */

export const TLS_EXPLAIN_KINDS = ['tls-handshakes', 'tls-handshake-reused', 'tls-resumption', 'tls-full-handshakes'] as const;
export type TlsExplainKind = (typeof TLS_EXPLAIN_KINDS)[number];

/** explain.ts's Explanation without its kind (the same fields, declared here to keep this file import-free). */
interface TlsText {
  title: string;
  whatYouSee: string;
  whyConcluded: string;
  tryNext: string;
}

const WHY_TWO_HANDSHAKES =
  'Over HTTPS a new connection sends its first request only after two handshakes: TCP’s (SYN, SYN-ACK, ACK), then TLS’s, which agrees on keys and checks the server’s certificate. TLS 1.3 adds one round trip (RFC 8446 §2), TLS 1.2 two (RFC 5246 §7.3). A request on a reused connection pays neither: its keys are already agreed.';

export const TLS_TEXTS: Readonly<Record<TlsExplainKind, TlsText>> = {
  'tls-handshakes': {
    title: 'A TLS handshake for every new connection',
    whatYouSee:
      '[Each of the {connections} new connections|Each new connection] paid a TCP connect[ ({connectMs} ms)] and a [{version}|TLS] handshake[ ({handshakeMs} ms, medians)] before its first request[: {setupMs} ms in all][. Kept alive, {keptAlive handshake/handshakes} would serve all {requests request/requests}].',
    whyConcluded: WHY_TWO_HANDSHAKES,
    tryNext:
      'Reuse connections (keep-alive on, bodies read to the end): one TCP connect and one handshake then serve every request their connection carries.',
  },
  'tls-handshake-reused': {
    title: 'One TLS handshake served many requests',
    whatYouSee:
      '[{connections connection/connections}|One connection] carried [{requests request/requests}|every request]: one TCP connect[ ({connectMs} ms)] and one [{version}|TLS] handshake[ ({handshakeMs} ms)] per connection[ (medians of {medianOf})]; [the other {reused request/requests}|the others] needed neither.',
    whyConcluded: WHY_TWO_HANDSHAKES,
    tryNext:
      'Run the scenario “Over TLS: what each new connection costs”: with every body left unread each request opens its own connection and pays both handshakes.',
  },
  'tls-resumption': {
    title: 'Later connections resumed the TLS session',
    whatYouSee:
      '[{resumedShare} later handshakes|Later handshakes] resumed an earlier session[ and took {resumedMs} ms (median) instead of the {fullMs} ms of a full handshake][ (median of {fullCount})].',
    whyConcluded:
      'The client kept what the server gave it after an earlier handshake (in TLS 1.3 a session ticket: NewSessionTicket, RFC 8446 §4.6.1; in TLS 1.2 a session id or ticket), up to maxCachedSessions of them, and offered it on its next connection to the same server. The server accepted it (in TLS 1.3 as a pre-shared key, §2.2) and sent no certificate and no signature, the costly part. Resumption is cheaper, not free: it still takes a round trip before the first request.',
    tryNext:
      'Turn “Resume TLS sessions” off (maxCachedSessions 0) and run again: every connection pays the full handshake. Reusing the connection itself (keep-alive) saves the TCP connect and the handshake both.',
  },
  'tls-full-handshakes': {
    title: 'Every TLS handshake was a full one',
    whatYouSee:
      '[None of the {later} later handshakes|No later handshake] resumed an earlier session: each paid the full [{version}|TLS] handshake[ ({handshakeMs} ms, median)], certificate and all.',
    whyConcluded:
      '[The client kept no TLS sessions (maxCachedSessions {maxCachedSessions}), so it had no session ticket to offer (RFC 8446 §2.2).|The client had no session ticket to offer (RFC 8446 §4.6.1): its connections started their handshakes before the first one had received a ticket, or the server sends none or did not accept it (§2.2).]',
    tryNext:
      '[Turn “Resume TLS sessions” on (maxCachedSessions is {maxCachedSessions}; 100 is the default) and run again: later connections resume, with no certificate to send and check.|Run one request at a time (concurrency 1): each later connection then has the ticket of the one before. If they still do not resume, the server issues no tickets or does not accept them.]',
  },
};
