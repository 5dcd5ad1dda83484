/**
 * A Content-Disposition for a download: the name in ASCII (every browser) and in UTF-8 (RFC 6266,
 * `filename*`), so a name is never read as a header's own syntax.
 */
export function attachment(name: string): string {
  const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').replace(/[^A-Za-z0-9._-]/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
