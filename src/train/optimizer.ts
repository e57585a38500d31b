/**
 * AdamW (torch.optim.AdamW's update: bias-corrected moments, decoupled weight decay), except that the
 * decay pulls each parameter towards an anchor instead of zero: an adapter starts at the identity, and
 * decaying towards it keeps what the base model knows. Decay towards zero would only shrink W, which
 * normalisation undoes anyway.
 */
export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface Parameter {
  values: Float32Array;
  grad: Float32Array;
  /** Where weight decay pulls (default zero). */
  anchor?: Float32Array;
  /** Apply weight decay to this parameter (default true). */
  decay?: boolean;
}

export class AdamW {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private step = 0;

  constructor(
    private readonly parameters: Parameter[],
    private readonly options: AdamWOptions,
  ) {
    this.m = parameters.map((p) => new Float64Array(p.values.length));
    this.v = parameters.map((p) => new Float64Array(p.values.length));
  }

  zeroGrad(): void {
    for (const p of this.parameters) p.grad.fill(0);
  }

  /** One update from the accumulated gradients. */
  update(lr = this.options.lr): void {
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const eps = this.options.eps ?? 1e-8;
    const decay = this.options.weightDecay ?? 0;
    this.step++;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    this.parameters.forEach((p, index) => {
      const m = this.m[index];
      const v = this.v[index];
      const { values, grad, anchor } = p;
      const decayRate = p.decay === false ? 0 : lr * decay;
      for (let i = 0; i < values.length; i++) {
        const g = grad[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        let x = values[i];
        if (decayRate !== 0) x -= decayRate * (x - (anchor ? anchor[i] : 0));
        x -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
        values[i] = x;
      }
    });
  }
}
