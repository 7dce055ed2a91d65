import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** UUIDv7 ids with their random bits drawn from a pooled buffer (one system call per 1024 ids). */
export class IdSource {
  private pool = new Uint8Array(16 * 1024);
  private offset = this.pool.length;

  next(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const random = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return uuidv7({ random });
  }
}
