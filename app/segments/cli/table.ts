import { IdIndex } from "./id-index";

// Per-customer aggregates of a streamed orders file, in growable typed arrays: a few dozen bytes a
// customer, nothing per order. Numeric id → slot (IdIndex); slots follow the customers file.

const grown = <T extends Float64Array | Uint32Array>(from: T, to: T): T => {
  to.set(from);
  return to;
};

/** Customer ids in slot order, each once. */
export class CustomerIds {
  private readonly slots = new IdIndex();
  size = 0;
  ids = new Float64Array(1024);

  /** false when the id is already there */
  add(id: number): boolean {
    if (!this.slots.add(id, this.size)) return false;
    if (this.size === this.ids.length) this.grow(this.size * 2);
    this.ids[this.size] = id;
    this.size++;
    return true;
  }

  slotOf(id: number): number | undefined {
    return this.slots.get(id);
  }

  protected grow(n: number): void {
    this.ids = grown(this.ids, new Float64Array(n));
  }
}

export class CustomerTable extends CustomerIds {
  frequency = new Uint32Array(1024);
  discounted = new Uint32Array(1024);
  monetary = new Float64Array(1024);
  lastMs = new Float64Array(1024).fill(-Infinity);
  firstMs = new Float64Array(1024).fill(Infinity);

  static withCapacity(capacity: number): CustomerTable {
    const table = new CustomerTable();
    if (capacity > table.ids.length) table.grow(capacity);
    return table;
  }

  /** Folds one counted order in; false if the sum would leave the exact range of a double. */
  addOrder(slot: number, totalMinor: number, discounted: boolean, createdMs: number): boolean {
    const sum = (this.monetary[slot] ?? 0) + totalMinor;
    if (!Number.isSafeInteger(sum)) return false;
    this.monetary[slot] = sum;
    this.frequency[slot] = (this.frequency[slot] ?? 0) + 1;
    if (discounted) this.discounted[slot] = (this.discounted[slot] ?? 0) + 1;
    if (createdMs > (this.lastMs[slot] ?? -Infinity)) this.lastMs[slot] = createdMs;
    if (createdMs < (this.firstMs[slot] ?? Infinity)) this.firstMs[slot] = createdMs;
    return true;
  }

  /** Slot `slot` takes the totals of slot `from` of `other`. */
  copyTotals(slot: number, other: CustomerTable, from: number): void {
    this.frequency[slot] = other.frequency[from]!;
    this.discounted[slot] = other.discounted[from]!;
    this.monetary[slot] = other.monetary[from]!;
    this.lastMs[slot] = other.lastMs[from]!;
    this.firstMs[slot] = other.firstMs[from]!;
  }

  protected override grow(n: number): void {
    super.grow(n);
    this.frequency = grown(this.frequency, new Uint32Array(n));
    this.discounted = grown(this.discounted, new Uint32Array(n));
    this.monetary = grown(this.monetary, new Float64Array(n));
    this.lastMs = grown(this.lastMs, new Float64Array(n).fill(-Infinity));
    this.firstMs = grown(this.firstMs, new Float64Array(n).fill(Infinity));
  }
}

/**
 * Slots in the order of their printed ids `${prefix}${id}`, compared as strings. When every id has
 * the same number of digits that is numeric order (a native typed-array sort); otherwise compare strings.
 */
export function slotsByPrintedId(table: CustomerTable): Uint32Array {
  const n = table.size;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const ids = table.ids.subarray(0, n);
  // every id has as many digits as the smallest and the largest have alike
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < min) min = id;
    if (id > max) max = id;
  }
  const sameLength = n === 0 || String(min).length === String(max).length;
  if (sameLength) {
    // A file in id order (as Shopify exports it) is already in output order.
    let ordered = true;
    for (let i = 1; i < n && ordered; i++) ordered = ids[i - 1]! < ids[i]!;
    if (ordered) return order;
    const sorted = ids.slice().sort();
    for (let i = 0; i < n; i++) order[i] = table.slotOf(sorted[i] ?? 0) ?? 0;
    return order;
  }
  const text = Array.from(ids, (id) => String(id));
  return order.sort((a, b) => {
    const x = text[a] ?? "";
    const y = text[b] ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
