/**
 * x509 client certificates: CN is the user name, each O a group. The certificate was verified by
 * TLS against the client CA (the server requests one but lets unauthenticated handshakes through,
 * like kube-apiserver).
 */
import type { TLSSocket } from 'node:tls';
import { wellKnown, type UserInfo } from '../user.ts';
import { InvalidCredentials, type Authenticator } from './types.ts';

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The user a TLS connection's client certificate names, per socket: the certificate is fixed once
 * the handshake is done, and getPeerCertificate builds a fresh object tree on every call (it was
 * about 6% of the apiserver's CPU on a stream of POSTs over keep-alive connections).
 */
const certUsers = new WeakMap<object, UserInfo | null | InvalidCredentials>();

function certUser(socket: Partial<TLSSocket>): UserInfo | null | InvalidCredentials {
  if (!socket.encrypted || !socket.getPeerCertificate) return null;
  if (!socket.authorized) {
    // A certificate was presented that the client CA did not sign: a bad credential, not none.
    const presented = socket.getPeerCertificate();
    return presented && presented.raw ? new InvalidCredentials(`x509: ${String(socket.authorizationError ?? 'certificate signed by unknown authority')}`) : null;
  }
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return null;
  const cn = asList(cert.subject.CN)[0];
  if (!cn) return null;
  return { username: cn, groups: [...asList(cert.subject.O), wellKnown.allAuthenticated] };
}

export const clientCertAuthenticator: Authenticator = (req) => {
  const socket = req.socket as Partial<TLSSocket> | undefined;
  if (!socket) return null;
  let user = certUsers.get(socket);
  if (user === undefined) {
    user = certUser(socket);
    certUsers.set(socket, user);
  }
  if (user instanceof InvalidCredentials) throw user;
  // A copy per request, so nothing downstream can change what later requests on the socket see.
  return user && { username: user.username, groups: [...user.groups] };
};

/** For in-process tests only: every request is this user. */
export function fixedUserAuthenticator(user: UserInfo): Authenticator {
  return () => user;
}
