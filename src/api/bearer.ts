import type { Request, Response } from 'express';
import type { Actor } from '../domain/shared/messages';
import type { TokenRegistry } from './auth';
import { HttpProblem } from './problems';

/** The principal of `Authorization: Bearer <token>`, or undefined (no header, or an unknown token). */
export function bearerActor(request: Request, tokens: TokenRegistry): Actor | undefined {
  const header = request.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] === undefined ? undefined : tokens.authenticate(match[1]);
}

/** The 401 for a missing or unknown token (and no browser session), with its challenge. */
export function unauthenticated(response: Response): HttpProblem {
  response.setHeader('WWW-Authenticate', 'Bearer realm="pledge-tracker"');
  return new HttpProblem(
    401,
    'unauthenticated',
    'A valid bearer token, or a browser session, is required',
  );
}
