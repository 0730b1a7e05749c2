/**
 * Where formatters write: text goes out in ~64 KiB chunks as it is made, so no output — a million
 * findings, a 50 MB file's SARIF — is ever held as one string (V8 strings end at ~512 MB).
 */
export interface TextOut {
  write(s: string): unknown;
}

export class ChunkedWriter implements TextOut {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly out: TextOut,
    private readonly limit = 1 << 16,
  ) {}

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.size === 0 && this.parts.length === 0) return;
    this.out.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Collects written text into one string, for small outputs and tests. */
export function collect(write: (out: TextOut) => void): string {
  const parts: string[] = [];
  write({ write: (s: string) => parts.push(s) });
  return parts.join('');
}

/** Bytes written to `out` in chunks of about `limit` bytes: one write per chunk, not per file. */
export class ByteChunkWriter {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly out: { write(b: Uint8Array | string): unknown },
    private readonly limit = 1 << 20,
  ) {}

  write(b: Uint8Array | string): void {
    const bytes = typeof b === 'string' ? Buffer.from(b) : b;
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.out.write(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}
