/**
 * Paths of API requests built from values the UI did not write itself (route
 * parameters, ids in answers, a province code). Such a value must name one
 * path segment and nothing else: `../../plans` in a route, put into a path as
 * is, makes the browser request `/plans` instead of an organization.
 */

import { isUuid } from './types';

/**
 * The canonical (lower-case) form of a UUID, or null when `text` is not one: the domain's test, so the UI
 * accepts exactly the ids the api does (api.md: any case on the way in, lower case after).
 */
export function canonicalUuid(text: string | null | undefined): string | null {
  return isUuid(text) ? text.toLowerCase() : null;
}

/**
 * A path with every interpolated value encoded as one segment:
 * apiPath`/api/organizations/${id}/events`. A value that would still move
 * the path (empty, `.`, `..`: the URL parser resolves them even encoded as
 * `%2e`) is refused, so a caller that forgot to check cannot reach another
 * resource.
 */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let path = strings[0];
  values.forEach((value, index) => {
    const text = String(value);
    if (text === '' || text === '.' || text === '..') throw new Error(`not a path segment: "${text}"`);
    path += encodeURIComponent(text) + strings[index + 1];
  });
  return path;
}
