/**
 * One file's FileLintResult as the lint cache stores it: packed as the lint workers send results
 * (transfer.ts: numbers in an Int32Array, each distinct string once), or as JSON when a result has a
 * shape the packing does not know. About a tenth of the JSON's size on files with many findings.
 *
 * `P` + ints length (4 bytes, LE) + the ints (LE) + the strings as a JSON array; or `J` + JSON.
 */
import type { FileLintResult } from './file-lint';
import { decodeResults, encodeResults } from './transfer';

const PACKED = 0x50; // P
const JSON_FORM = 0x4a; // J
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export function encodeCachedResult(r: FileLintResult): Uint8Array {
  const packed = encodeResults([r], true);
  if (!packed || !LITTLE_ENDIAN) return Buffer.concat([Buffer.of(JSON_FORM), Buffer.from(JSON.stringify(r))]);
  const ints = Buffer.from(packed.ints.buffer, packed.ints.byteOffset, packed.ints.byteLength);
  const out = Buffer.allocUnsafe(5 + ints.length);
  out[0] = PACKED;
  out.writeUInt32LE(ints.length, 1);
  ints.copy(out, 5);
  return Buffer.concat([out, Buffer.from(JSON.stringify(packed.strings))]);
}

/** The result stored by encodeCachedResult, for `filePath`; throws when the bytes are not one. */
export function decodeCachedResult(bytes: Uint8Array, filePath: string): FileLintResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === JSON_FORM) {
    const r = JSON.parse(buf.toString('utf8', 1)) as FileLintResult;
    if (r.filePath !== filePath || !Array.isArray(r.violations) || !Array.isArray(r.positions) || r.violations.length !== r.positions.length) throw new Error('an entry is not this file\'s lint result');
    return r;
  }
  if (buf[0] !== PACKED || buf.length < 5) throw new Error('an entry has an unknown form');
  const n = buf.readUInt32LE(1);
  if (n % 4 !== 0 || 5 + n > buf.length) throw new Error('an entry is cut short');
  const ints = new Int32Array(n / 4); // in the machine's byte order, as written (big-endian machines store JSON)
  Buffer.from(ints.buffer).set(buf.subarray(5, 5 + n));
  const strings = JSON.parse(buf.toString('utf8', 5 + n)) as unknown;
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) throw new Error('an entry\'s strings are damaged');
  let results: FileLintResult[];
  try {
    results = decodeResults({ packed: true, ints, strings: strings as string[] });
  } catch {
    throw new Error('an entry does not decode');
  }
  const r = results[0];
  // Every index must land inside the arrays: a damaged entry reads back as undefined somewhere.
  if (results.length !== 1 || !r || r.filePath !== filePath || r.violations.some((v) => typeof v.message !== 'string' || typeof v.ruleId !== 'string') || r.positions.some((p) => p.endColumn === undefined) || r.references?.some((x) => typeof x.from !== 'string' || x.endColumn === undefined)) throw new Error('an entry is not this file\'s lint result');
  return r;
}
