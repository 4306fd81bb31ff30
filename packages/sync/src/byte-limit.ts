/**
 * A pass-through stream that refuses to carry more than a limit: the guard against
 * decompression bombs, placed right after gunzip so no more than the limit is ever
 * expanded. The limit changes once the manifest says how much is to come.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BundleTooLargeError } from './errors.js';

export class ByteLimit extends Transform {
  /** Bytes passed so far. */
  passed = 0;

  constructor(
    private limit: number,
    private what: string,
  ) {
    super();
  }

  /** Sets a new limit, and what exceeding it means. */
  setLimit(limit: number, what: string): void {
    this.limit = limit;
    this.what = what;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.passed += chunk.length;
    if (this.passed > this.limit) {
      callback(new BundleTooLargeError(`${this.what} (it expanded to more than ${this.passed} bytes)`, this.limit));
    } else {
      callback(null, chunk);
    }
  }
}
