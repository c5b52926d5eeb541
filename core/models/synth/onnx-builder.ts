// A small ONNX graph builder over onnx-proto: named initializers with raw little-endian data, auto-named node
// outputs, cached scalar constants, and one call to encode the whole model.
import { endianness } from 'node:os';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

export type ElemType = 'float' | 'uint8' | 'int8' | 'int64';
/** A fixed size, or a symbolic name such as "batch_size". */
export type Dim = number | string;
export type TensorData = Float32Array | Uint8Array | Int8Array | BigInt64Array;

/** A float attribute (a bare number is an int attribute, a number[] an ints attribute). */
export interface FloatAttr { float: number }
export type AttrValue = number | number[] | FloatAttr;
export const floatAttr = (value: number): FloatAttr => ({ float: value });

export const ELEM: Record<ElemType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int64: onnx.TensorProto.DataType.INT64,
};

export interface ModelMeta {
  irVersion: number;
  opset: number;
  producerName: string;
  docString?: string;
}

export class GraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly constants = new Map<string, string>();
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly name: string) {
    // ONNX raw_data is little-endian; typed arrays use the host's order.
    if (endianness() !== 'LE') throw new Error('ONNX synthesis needs a little-endian host');
  }

  input(name: string, elem: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elem, dims));
    return name;
  }

  output(name: string, elem: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elem, dims));
  }

  /** A named weight; the typed array's bytes go straight into raw_data (no copy until encoding). */
  initializer(name: string, data: TensorData, dims: number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: ${data.length} values for dims [${dims}]`);
    this.initializers.push({
      name: this.claim(name), dims, dataType: ELEM[elemOf(data)],
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /** A float scalar constant, shared by every node that uses the same value. */
  float(value: number): string {
    return this.constant(`const_f32_${value}`, () => Float32Array.of(value), []);
  }

  /** An int64 constant (a scalar when dims is []), shared like float(). */
  int64(values: number[], dims: number[] = [values.length]): string {
    return this.constant(`const_i64_${dims.join('x')}_${values.join('_')}`, () => BigInt64Array.from(values.map(BigInt)), dims);
  }

  /** One node with one output; `out` names it (for graph outputs), else it is auto-named. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    return this.opN(opType, inputs, 1, attrs, out ? [out] : undefined)[0]!;
  }

  /** One node with `count` outputs. */
  opN(opType: string, inputs: string[], count: number, attrs: Record<string, AttrValue> = {}, outs?: string[]): string[] {
    const id = this.counter++;
    const output = outs ?? Array.from({ length: count }, (_, i) => `${opType}_${id}${count > 1 ? `_${i}` : ''}`);
    output.forEach((o) => this.claim(o));
    this.nodes.push({
      name: `${opType}_${id}`, opType, input: inputs, output,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /** The serialised ModelProto. */
  encode(meta: ModelMeta): Uint8Array {
    const model: onnxProto.onnx.IModelProto = {
      irVersion: meta.irVersion,
      producerName: meta.producerName,
      docString: meta.docString ?? '',
      opsetImport: [{ domain: '', version: meta.opset }],
      graph: {
        name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }

  private constant(name: string, make: () => TensorData, dims: number[]): string {
    let existing = this.constants.get(name);
    if (!existing) {
      existing = this.initializer(name, make(), dims);
      this.constants.set(name, existing);
    }
    return existing;
  }

  /** Every tensor name in a graph must be unique; a clash is a builder bug, so fail loudly. */
  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate tensor name ${name}`);
    this.names.add(name);
    return name;
  }
}

function elemOf(data: TensorData): ElemType {
  if (data instanceof Float32Array) return 'float';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  return 'int64';
}

function valueInfo(name: string, elem: ElemType, dims: Dim[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[elem],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an int (use floatAttr)`);
    return { name, type: T.INT, i: value };
  }
  return { name, type: T.FLOAT, f: value.float };
}
