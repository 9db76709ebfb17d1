import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * What an uploaded workbook may unpack to. 20 MB of zip can hold gigabytes of XML ("zip bombs"), which a reader would
 * hold in memory (shared strings, a cell's text); a real list of 100,000 numbers unpacks to some tens of MB.
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;

export type ZipVerdict = 'OK' | 'TOO_LARGE' | 'INVALID';

/** The bytes `data` inflates to, counted and dropped, stopping past `budget`. */
function inflatedLength(data: Buffer, budget: number): Promise<number | 'TOO_LARGE' | 'INVALID'> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        inflate.destroy();
        resolve('TOO_LARGE');
      }
    });
    inflate.on('end', () => resolve(total));
    inflate.on('error', () => resolve('INVALID'));
    inflate.end(data);
  });
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory's entries, or null for what is not a zip this reader takes (zip64 included: no workbook of 20 MB needs it). */
function directoryOf(zip: Buffer): { entries: Entry[]; offset: number } | null {
  const lowest = Math.max(0, zip.length - 22 - 65_535);
  let end = -1;
  for (let at = zip.length - 22; at >= lowest; at -= 1) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0 || count > MAX_ENTRIES || offset + size > end) return null;
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL_HEADER) return null;
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { entries: entries.sort((a, b) => a.localOffset - b.localOffset), offset };
}

/** Where an entry's packed bytes start: past its local header, its name and its extra field. */
const dataStart = (zip: Buffer, at: number) => at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);

/**
 * Whether a zip (a whole XLSX body) is safe to unpack: its local entries, one after another, are exactly the central
 * directory's, with nothing hidden between them (so that the files read through the directory are all there is), and all of them together inflate to at most `limit` bytes — each inflated here, its output counted, never kept.
 */
export async function checkZip(zip: Buffer, limit = MAX_UNPACKED_BYTES): Promise<ZipVerdict> {
  const directory = directoryOf(zip);
  if (!directory) return 'INVALID';
  const { entries, offset } = directory;
  let expected = 0;
  let unpacked = 0;
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at !== expected || at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) return 'INVALID';
    const start = dataStart(zip, at);
    const stop = start + entry.compressedSize;
    if (stop > zip.length) return 'INVALID';
    const data = zip.subarray(start, stop);
    if (entry.method === 0) unpacked += data.length;
    else if (entry.method === 8) {
      const length = await inflatedLength(data, limit - unpacked);
      if (typeof length !== 'number') return length;
      unpacked += length;
    } else return 'INVALID';
    if (unpacked > limit) return 'TOO_LARGE';
    expected = stop;
    // Bit 3: the sizes follow the data, in a descriptor with or without its signature.
    if (entry.flags & 0x08) expected += stop + 4 <= zip.length && zip.readUInt32LE(stop) === DATA_DESCRIPTOR ? 16 : 12;
  }
  return expected === offset ? 'OK' : 'INVALID';
}

/** One file of a zip: how it is packed, and its packed bytes. */
export interface ZipPart {
  method: number;
  data: Buffer;
}

/** The files of a zip `checkZip` found OK, by name, read through its central directory. */
export function zipParts(zip: Buffer): Map<string, ZipPart> {
  const parts = new Map<string, ZipPart>();
  for (const entry of directoryOf(zip)?.entries ?? []) {
    const start = dataStart(zip, entry.localOffset);
    parts.set(entry.name, { method: entry.method, data: zip.subarray(start, start + entry.compressedSize) });
  }
  return parts;
}

/** A part's bytes as they unpack, a chunk at a time. */
export function unpack(part: ZipPart): Readable {
  if (part.method === 0) return Readable.from([part.data], { objectMode: false });
  const inflate = createInflateRaw();
  inflate.end(part.data);
  return inflate;
}
