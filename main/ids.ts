import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7 ids with their random bits drawn from a pooled buffer (one system call per 1024 ids),
 * strictly increasing as uuid's own v7() makes them: ids made in the same millisecond count up
 * a sequence seeded at random (uuid keeps that state only when it draws the random bits itself).
 * Loads rely on the order: accounts listed by creation come in file order.
 */
export class IdSource {
  private pool = new Uint8Array(16 * 1024);
  private offset = this.pool.length;
  private msecs = -Infinity;
  private seq = 0;

  next(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const random = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    const now = Date.now();
    if (now > this.msecs) {
      this.msecs = now;
      // 31 random bits, so that counting up has room before it must borrow a millisecond.
      this.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    } else {
      this.seq = (this.seq + 1) | 0;
      if (this.seq === 0) this.msecs++;
    }
    return uuidv7({ random, msecs: this.msecs, seq: this.seq });
  }
}
