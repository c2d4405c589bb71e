// The seed generator's only source of randomness: a small seeded PRNG and samplers built on it.
// sfc32 is fast, passes PractRand and is trivially reproducible across Node versions, unlike Math.random.

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `stream` gives independent sequences from one seed, so one part of the data can change without shifting the rest. */
  constructor(seed: number, stream = 0) {
    // splitmix32 spreads a small integer seed over sfc32's 128 bits of state, so seeds 1 and 2 diverge at once.
    let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x27d4eb2d) ^ Math.imul(stream, 0x85ebca6b);
    const split = () => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An exponentially distributed number with the given mean: many small values, a long tail of large ones. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A string of `length` decimal digits (leading zeros kept). */
  digits(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return text;
  }
}

/** Draws items with fixed relative weights in O(log n): cumulative weights and a binary search. */
export function weighted<T>(entries: readonly (readonly [T, number])[]): (random: Random) => T {
  const items = entries.map(([item]) => item);
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], index) => {
    total += weight;
    cumulative[index] = total;
  });
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return items[low] as T;
  };
}

/** Zipf-like draws over a ranked list: the first items are common, the tail is rare (how surnames behave). */
export function zipf<T>(items: readonly T[], exponent: number): (random: Random) => T {
  return weighted(items.map((item, rank) => [item, 1 / (rank + 1) ** exponent] as const));
}
