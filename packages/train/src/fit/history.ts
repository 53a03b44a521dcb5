/**
 * One step's values as {@link History} records them (when fit read the loss back).
 *
 * @example
 * ```ts
 * const last: StepRecord = history.steps.at(-1)!;
 * ```
 */
export interface StepRecord {
  /** 0-based global step. */
  step: number;
  /** The epoch it belongs to. */
  epoch: number;
  /** Plain numbers: `loss`, `lr`, and whatever a custom step reported. */
  values: Record<string, number>;
}

/**
 * The JSON form of a {@link History}: `NaN` written as `null`.
 *
 * @example
 * ```ts
 * const json: HistoryJSON = history.toJSON();
 * ```
 */
export interface HistoryJSON {
  /** The epochs that have values. */
  epochs: number[];
  /** Per-epoch series by name. */
  values: Record<string, (number | null)[]>;
  /** Per-step records. */
  steps: StepRecord[];
}

/**
 * What {@link fit} returns: per-epoch values (`loss`, metrics, `lr`, `val.loss`, `val.<metric>`)
 * and, when the loss was read back each step, per-step values.
 *
 * @example
 * ```ts
 * const history = await fit(model, data, options);
 * history.get('val.loss');   // [0.52, 0.41, ...]
 * history.last('accuracy');  // 0.93
 * ```
 */
export class History {
  /** The epoch numbers that have values, in order. */
  readonly epochs: number[] = [];
  /** Per-epoch series by name; a name missing in an epoch holds `NaN` there. */
  readonly values: Record<string, number[]> = {};
  /** Per-step values (only the steps whose loss was read). */
  readonly steps: StepRecord[] = [];

  /**
   * Appends an epoch's values.
   *
   * @example
   * ```ts
   * history.addEpoch(0, { loss: 0.7 });
   * ```
   */
  addEpoch(epoch: number, logs: Record<string, number>): void {
    const index = this.epochs.length;
    this.epochs.push(epoch);
    for (const [name, value] of Object.entries(logs)) {
      const series = (this.values[name] ??= new Array<number>(index).fill(Number.NaN));
      series.push(value);
    }
    for (const series of Object.values(this.values)) if (series.length < index + 1) series.push(Number.NaN);
  }

  /**
   * Appends one step's values.
   *
   * @example
   * ```ts
   * history.addStep(12, 0, { loss: 0.4, lr: 1e-3 });
   * ```
   */
  addStep(step: number, epoch: number, values: Record<string, number>): void {
    this.steps.push({ step, epoch, values: { ...values } });
  }

  /**
   * The per-epoch series of `name` (empty when it was never logged).
   *
   * @example
   * ```ts
   * history.get('loss');
   * ```
   */
  get(name: string): number[] {
    return [...(this.values[name] ?? [])];
  }

  /**
   * The last epoch's value of `name`, or `undefined`.
   *
   * @example
   * ```ts
   * history.last('val.loss');
   * ```
   */
  last(name: string): number | undefined {
    const s = this.values[name];
    return s === undefined || s.length === 0 ? undefined : s[s.length - 1];
  }

  /**
   * A JSON form (`NaN` as `null`), for checkpoints and logs.
   *
   * @example
   * ```ts
   * JSON.stringify(history.toJSON());
   * ```
   */
  toJSON(): HistoryJSON {
    const clean = (v: number): number | null => (Number.isFinite(v) ? v : null);
    return {
      epochs: [...this.epochs],
      values: Object.fromEntries(Object.entries(this.values).map(([k, s]) => [k, s.map(clean)])),
      steps: this.steps.map((r) => ({ ...r, values: { ...r.values } })),
    };
  }

  /**
   * Rebuilds a history from {@link History.toJSON}.
   *
   * @example
   * ```ts
   * const h = History.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: HistoryJSON): History {
    const h = new History();
    h.epochs.push(...json.epochs);
    for (const [k, s] of Object.entries(json.values)) h.values[k] = s.map((v) => (v === null ? Number.NaN : v));
    for (const r of json.steps) h.steps.push({ step: r.step, epoch: r.epoch, values: { ...r.values } });
    return h;
  }
}
