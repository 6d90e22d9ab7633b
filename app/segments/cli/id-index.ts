// Customer id → slot for tables of millions of customers. Shopify ids are integers beyond 2^31,
// which a Map<number, number> hashes as heap numbers: that lookup was a fifth of the time to
// aggregate a 5,000,000-order file. Open addressing over typed arrays, ids as exact doubles. Pure.

const EMPTY = -1;
const TWO_32 = 4294967296;

function hash(id: number): number {
  const lo = id >>> 0; // ToUint32: the low 32 bits of an integer below 2^53
  const hi = Math.floor(id / TWO_32);
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

export class IdIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** the slot of `id` (a non-negative safe integer), or undefined */
  get(id: number): number | undefined {
    const { keys, mask } = this;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === id) return this.values[i];
      if (key === EMPTY) return undefined;
    }
  }

  /** false when `id` is already there (its slot is kept) */
  add(id: number, slot: number): boolean {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new RangeError("IdIndex: ids are non-negative safe integers");
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const { keys, mask } = this;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === id) return false;
      if (key === EMPTY) {
        keys[i] = id;
        this.values[i] = slot;
        this.size++;
        return true;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? EMPTY;
      if (key !== EMPTY) this.add(key, values[i] ?? 0);
    }
  }
}
