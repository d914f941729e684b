// Terminal-like streams for driving the render functions (not just components) in tests: Ink sees
// a TTY, and everything it draws is kept so a test can read it.
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';

export class FakeTtyIn extends EventEmitter {
  isTTY = true;
  isRaw = false;
  #queue: string[] = [];
  setRawMode(on: boolean): this {
    this.isRaw = on;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  read(): string | null {
    return this.#queue.shift() ?? null;
  }
  write(data: string): void {
    this.#queue.push(data);
    this.emit('readable');
  }
}

export class FakeTtyOut extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 40;
  written = '';
  write(chunk: string | Uint8Array): boolean {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
  /** What was drawn, without colours and cursor movement. */
  text(): string {
    return stripVTControlCharacters(this.written);
  }
}

export class PlainOut extends FakeTtyOut {
  override isTTY = false;
}

export function fakeTerminal() {
  const stdin = new FakeTtyIn();
  const stdout = new FakeTtyOut();
  const stderr = new FakeTtyOut();
  return {
    stdin,
    stdout,
    stderr,
    /** The streams in the shape the render functions take. */
    streams: {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      env: {} as NodeJS.ProcessEnv,
    },
  };
}
