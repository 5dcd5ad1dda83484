/**
 * Hands a blob to the browser as a file download under `fileName`: a temporary link clicked once.
 * The object URL is revoked a little later, after the click has handed the file over (revoked at
 * once, some browsers download nothing).
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
