/** 401: no token, or one that is expired, malformed or signed with another key. */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
}

/** 403: a role or province the token may not use; nothing is written. */
export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
}
