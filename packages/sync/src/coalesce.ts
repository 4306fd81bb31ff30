/**
 * Gathers small chunks into large ones. tar-stream emits a 512-byte header, the
 * data and the padding as separate chunks, and node:zlib runs one thread-pool job
 * per chunk, so large chunks gzip several times faster (docs/performance.md).
 */
import { Transform, type TransformCallback } from 'node:stream';

export class Coalesce extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly target: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.target) this.release();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.size > 0) this.release();
    callback();
  }

  private release(): void {
    this.push(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size));
    this.chunks = [];
    this.size = 0;
  }
}
