/** CRC-32 (IEEE) of a buffer, as ZIP needs it. */
export function crc32(buffer: Uint8Array): number;
/** A reproducible ZIP archive (deflate, fixed 1980-01-01 timestamps, mode 0644) of `files`. */
export function zip(files: readonly { readonly name: string; readonly data: Buffer }[]): Buffer;
