/** Hands the browser a file to save, without a round trip to the server. */
export function downloadText(fileName: string, text: string, mediaType: string): void {
  downloadBlob(fileName, new Blob([text], { type: mediaType }));
}

/** Hands the browser a file already in memory (a table built here, or an export the API sent). */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; revoke on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
