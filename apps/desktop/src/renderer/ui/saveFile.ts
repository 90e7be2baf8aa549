/** Hands a file to the person: the browser's (or Electron's) own download. */
export function saveFile(file: {
  readonly filename: string;
  readonly mimeType: string;
  readonly content: BlobPart;
}): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
