/**
 * A self-signed certificate for the lab's own loopback servers, made at run time and never written
 * to the repository: an ECDSA P-256 key and an X.509 v3 certificate (RFC 5280) for 127.0.0.1 and
 * ::1 and "localhost", valid for one day. The lab's clients trust exactly this certificate (passed
 * as their `ca`), so nothing turns certificate checks off.
 *
 * Node can make keys but not certificates, so the certificate is written here in DER:
 *
 *   Certificate     ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate  ::= SEQUENCE { [0] version v3, serialNumber, signature, issuer, validity,
 *                                  subject, subjectPublicKeyInfo, [3] extensions }
 *   extensions:     subjectAltName (IP 127.0.0.1, IP ::1, DNS localhost), basicConstraints cA FALSE,
 *                   keyUsage digitalSignature, extKeyUsage serverAuth
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

export interface LabCertificate {
  /** PEM, for `cert` on the server and `ca` on the client */
  cert: string;
  /** PEM (PKCS#8) */
  key: string;
  /** SHA-256 fingerprint, as `openssl x509 -fingerprint -sha256` prints it */
  fingerprint256: string;
}

/** how long the certificate is valid: the lab's servers live for one run */
const VALIDITY_MS = 24 * 60 * 60 * 1000;
/** the clock may be a little behind the server's: start validity a minute early */
const CLOCK_SKEW_MS = 60 * 1000;

// DER (ITU-T X.690) building blocks
function length(bytes: number): Buffer {
  if (bytes < 0x80) return Buffer.from([bytes]);
  const octets: number[] = [];
  for (let rest = bytes; rest > 0; rest >>= 8) octets.unshift(rest & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]) => tlv(0x30, ...content);
const set = (...content: Buffer[]) => tlv(0x31, ...content);
const explicit = (number: number, content: Buffer) => tlv(0xa0 | number, content);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer) => tlv(0x03, Buffer.from([0]), content);
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));

function integer(bytes: Buffer): Buffer {
  // a positive INTEGER: no leading 0x00 unless the top bit is set
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1]! < 0x80) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = part >> 7; rest > 0; rest >>= 7) chunk.unshift(0x80 | (rest & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** GeneralizedTime for dates from 2050 on, UTCTime before (RFC 5280 §4.1.2.5) */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() >= 2050 ? tlv(0x18, Buffer.from(`${iso}Z`)) : tlv(0x17, Buffer.from(`${iso.slice(2)}Z`));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';
const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXTENDED_KEY_USAGE = '2.5.29.37';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? sequence(oid(id), tlv(0x01, Buffer.from([0xff])), octetString(value)) : sequence(oid(id), octetString(value));
}

/** Makes a new key and certificate (a few ms). */
export function makeLabCertificate(now = new Date()): LabCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8('Keepalive Lab (loopback only)'))));
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + VALIDITY_MS);
  const alternativeNames = sequence(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress [7]
    tlv(0x87, Buffer.from([...Array<number>(15).fill(0), 1])),
    tlv(0x82, Buffer.from('localhost')), // dNSName [2]
  );
  const extensions = explicit(
    3,
    sequence(
      extension(SUBJECT_ALT_NAME, alternativeNames),
      extension(BASIC_CONSTRAINTS, sequence(), true),
      extension(KEY_USAGE, bitString(Buffer.from([0x80])), true), // digitalSignature
      extension(EXTENDED_KEY_USAGE, sequence(oid(SERVER_AUTH))),
    ),
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // parse it back: a certificate Node cannot read, or whose key does not match, is a bug here
  const parsed = new X509Certificate(cert);
  if (!parsed.checkPrivateKey(createPrivateKey(key)) || !parsed.verify(createPublicKey(key))) {
    throw new Error('the lab certificate does not verify with its own key');
  }
  return { cert, key, fingerprint256: parsed.fingerprint256 };
}
