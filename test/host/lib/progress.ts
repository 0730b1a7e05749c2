/** What a host run is doing, so a time-out can say where it hung; every line also goes to a log file. */
import * as fs from 'node:fs';

export class Progress {
  phase = 'starting';
  lastTest: string | undefined;
  private readonly lines: string[] = [];

  constructor(private readonly logFile: string) {
    fs.writeFileSync(logFile, '');
  }

  log(line: string): void {
    fs.appendFileSync(this.logFile, line + '\n');
    this.lines.push(line);
    if (this.lines.length > 15) this.lines.shift();
    const m = line.match(/\[bqmigrate-host\] start: (.*)/);
    if (m) this.lastTest = m[1];
  }

  hungReport(seconds: number): string {
    return [
      `hung at ${this.phase}${this.lastTest ? `, in test "${this.lastTest}"` : ''} after ${seconds} s (full log: ${this.logFile})`,
      'last output:',
      ...this.lines.map((l) => `  ${l}`),
    ].join('\n');
  }
}

export function withTimeout<T>(promise: Promise<T>, seconds: number, progress: Progress): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(progress.hungReport(seconds))), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
