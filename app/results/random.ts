// A small seeded generator for the bootstrap. Pure: the same seed gives the same numbers on every
// machine. xoshiro128** (Blackman and Vigna): 128 bits of state, 32-bit outputs; the four state
// words come from splitmix32, so neighbouring seeds give unrelated streams.

export interface Rng {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform number in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** A uniform integer in [0, size): the top of a 32-bit draw, so the bias is at most size / 2^32. */
  nextIndex(size: number): number;
  /** values[nextIndex(values.length)] summed over `count` draws: the same draws, in one call. */
  sumOfPicks(values: Float64Array, count: number): number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

// A class rather than closures: the bootstrap's inner loop calls it a few hundred million times.
class Xoshiro128ss implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    this.s0 = state[0] >>> 0;
    this.s1 = state[1] >>> 0;
    this.s2 = state[2] >>> 0;
    this.s3 = state[3] >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new RangeError("xoshiro128** needs a state that is not all zero");
    }
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    return ((this.nextUint32() >>> 11) * TWO_POW_32 + this.nextUint32()) / TWO_POW_53;
  }

  nextIndex(size: number): number {
    return Math.floor((this.nextUint32() * size) / TWO_POW_32);
  }

  // The bootstrap's inner loop (tens of millions of draws a report), with the state in locals:
  // through nextIndex, V8 ends up running it 4–5× slower after a few reports (the fields' number
  // representation changes and the loop deoptimizes), measured in docs/benchmarks.md.
  sumOfPicks(values: Float64Array, count: number): number {
    let { s0, s1, s2, s3 } = this;
    const size = values.length;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      sum += values[Math.floor((result * size) / TWO_POW_32)] ?? 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return sum;
  }
}

/** xoshiro128** from an explicit state (not all zero), as its authors' reference code runs it. */
export function xoshiro128ss(state: readonly [number, number, number, number]): Rng {
  return new Xoshiro128ss(state);
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * The generator of `seed` (an integer in [0, 2^32)); `stream` picks one of several independent
 * generators of the same seed (the words of splitmix32 after 4 × stream of them).
 */
export function seededRng(seed: number, stream = 0): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
    throw new RangeError(`seed must be an integer in [0, 2^32), not ${seed}`);
  }
  const words = splitmix32(seed);
  for (let i = 0; i < 4 * stream; i++) words();
  let state: [number, number, number, number] = [words(), words(), words(), words()];
  while ((state[0] | state[1] | state[2] | state[3]) === 0) state = [words(), words(), words(), words()];
  return xoshiro128ss(state);
}
