// What every model built on one ONNX session reports about it and how it is released (the passage model, the
// cross-encoder).
import { isQuantizedModel, type OnnxSession } from './onnx-session.js';

export abstract class SessionModel {
  protected constructor(protected readonly onnx: OnnxSession) {}

  get provider(): string { return this.onnx.provider; }
  get fallbackReason(): string | null { return this.onnx.fallbackReason; }
  /** The session as it was chosen: probe times and node placement per provider. */
  get session(): OnnxSession { return this.onnx; }
  get modelPath(): string { return this.onnx.modelPath; }
  get quantized(): boolean { return isQuantizedModel(this.onnx.modelPath); }

  async close(): Promise<void> {
    await this.onnx.session.release();
  }
}
