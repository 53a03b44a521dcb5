type Typed = Float64Array | Uint8Array;

/**
 * A typed array that grows by doubling: the state of the metrics that keep every score.
 * `Float64` for scores and weights, `Uint8` for 0/1 labels.
 */
class Growable<A extends Typed> {
  private data: A;
  length = 0;

  constructor(private readonly make: (n: number) => A) {
    this.data = make(16);
  }

  append(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) this.grow(this.length + values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }

  /** A view of the filled part (no copy; invalidated by the next append). */
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }

  clear(): void {
    this.data = this.make(16);
    this.length = 0;
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = this.make(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor() {
    super((n) => new Float64Array(n));
  }
}

export class GrowableUint8 extends Growable<Uint8Array> {
  constructor() {
    super((n) => new Uint8Array(n));
  }
}
