#!/usr/bin/env node
/**
 * Writes dist/function.zip: the bundled function (dist/function.cjs) as `index.js` at the archive root, which
 * is what Function Compute loads for the handlers `index.handler` (FC 3.0) and `index.legacyHandler` (FC 2.0),
 * and beside it (same names as in dist/) the HTTP-trigger chunk `function-http.cjs`, which index.js requires at
 * the first HTTP-trigger request, and the bot-token route chunk `function-threads.cjs`, which it requires only
 * when the configuration has a bot-token route.
 *
 * A tiny ZIP writer on node:zlib (one deflated entry, fixed 1980-01-01 timestamp, mode 0644) instead of a
 * dependency or cdktf's ARCHIVE asset: the archive is byte-for-byte reproducible, so the asset hash and the
 * function's code checksum only change when the code does, and terraform plans stay quiet.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE) of a buffer, as ZIP needs it. */
export function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

/**
 * The fields the local header (from offset 4) and the central directory header (from offset 6) share, in
 * the same order: version needed, flags, method, time, date, CRC, sizes, name length, extra length.
 */
function writeEntryFields(header, at, { crc, compressedSize, size, nameLength }) {
  header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  header.writeUInt16LE(0x0800, at + 2); // flags: UTF-8 names
  header.writeUInt16LE(8, at + 4); // method: deflate
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(compressedSize, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
  header.writeUInt16LE(0, at + 24); // extra
}

/** A ZIP archive (deflate) of `files`: an array of `{ name, data: Buffer }`. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const entry = { crc, compressedSize: compressed.length, size: data.length, nameLength: nameBytes.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry);
    locals.push(local, nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: UNIX, 2.0
    writeEntryFields(central, 6, entry);
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((0o100644 << 16) >>> 0), 38); // external attributes: regular file 0644
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, centralDirectory, end]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = new URL('../dist/', import.meta.url);
  const code = readFileSync(new URL('function.cjs', dist));
  const http = readFileSync(new URL('function-http.cjs', dist));
  const threads = readFileSync(new URL('function-threads.cjs', dist));
  const archive = zip([
    { name: 'index.js', data: code },
    { name: 'function-http.cjs', data: http },
    { name: 'function-threads.cjs', data: threads },
  ]);
  writeFileSync(new URL('function.zip', dist), archive);
  console.log(`zip-function: dist/function.zip (${archive.length} bytes; index.js ${code.length} bytes, function-http.cjs ${http.length} bytes, function-threads.cjs ${threads.length} bytes)`);
}
