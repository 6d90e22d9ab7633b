// The key paths a FieldReader looks for, compiled once into a tree it matches keys against by their
// bytes. Pure.

import { ByteText } from "./byte-scan";
const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 0x80);

export class SpecNode {
  readonly keys: string[] = [];
  readonly keyBytes: ByteText[] = [];
  readonly children: SpecNode[] = [];
  /** The slot of this path's own value, -1 when only paths below it are wanted. */
  slot = -1;
  /** The slots of the paths below this one: a duplicate key starts them over. */
  below = new Int32Array(0);
  /** Whether every child key is ASCII, so equal raw bytes mean an equal key. */
  ascii = true;
  // Child keys by byte length: the first child of each length, then the next of the same length, so
  // a key is compared with few of them.
  firstOfLength = new Int16Array(0);
  nextOfLength = new Int16Array(0);

  child(key: string): SpecNode {
    const i = this.keys.indexOf(key);
    if (i >= 0) return this.children[i]!;
    const node = new SpecNode();
    this.keys.push(key);
    this.keyBytes.push(new ByteText(key));
    this.children.push(node);
    if (!isAscii(key)) this.ascii = false;
    return node;
  }

  finish(): number[] {
    const below: number[] = [];
    for (const c of this.children) {
      const inner = c.finish();
      if (c.slot >= 0) below.push(c.slot);
      below.push(...inner);
    }
    this.below = Int32Array.from(below);
    const lengths = this.keyBytes.map((k) => k.bytes.length);
    this.firstOfLength = new Int16Array(Math.max(0, ...lengths) + 1).fill(-1);
    this.nextOfLength = new Int16Array(lengths.length).fill(-1);
    for (let i = lengths.length - 1; i >= 0; i--) {
      const length = lengths[i] ?? 0;
      this.nextOfLength[i] = this.firstOfLength[length] ?? -1;
      this.firstOfLength[length] = i;
    }
    return below;
  }
}

/** Wanted key paths compiled for matching; slot i holds paths[i]. */
export class FieldSpec {
  readonly root = new SpecNode();

  constructor(readonly paths: readonly string[]) {
    paths.forEach((path, slot) => {
      if (path === "" || path.split(".").includes("")) throw new Error(`empty key in field path "${path}"`);
      let node = this.root;
      for (const key of path.split(".")) node = node.child(key);
      if (node.slot >= 0) throw new Error(`field path "${path}" given twice`);
      node.slot = slot;
    });
    this.root.finish();
  }

  get size(): number {
    return this.paths.length;
  }

  /** The slot of a compiled path. */
  slotOf(path: string): number {
    const slot = this.paths.indexOf(path);
    if (slot < 0) throw new Error(`field path "${path}" not compiled`);
    return slot;
  }
}

/** Compiles dot-separated key paths ("customer.id"); slot i holds paths[i]. */
export const compileFields = (paths: readonly string[]): FieldSpec => new FieldSpec(paths);
