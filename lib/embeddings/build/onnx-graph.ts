/**
 * Writes the SIF pooling graph as ONNX bytes with onnx-proto.
 *
 *   input_ids, attention_mask [batch, seq] int64
 *   w      = token_weight[ids] · mask                       [batch, seq]
 *   e      = float(embedding_q[ids])                        [batch, seq, dim]
 *   pooled = Σ_s (w · row_scale[ids])_s · e_s / max(Σ w, ε) [batch, dim]
 *   out    = normalise(pooled · (I − uuᵀ))                  [batch, dim]
 *
 * `token_weight` is a named initializer so a caller can swap in its own
 * per-token weights (corpus IDF) by rewriting it in memory (see
 * replaceTokenWeights); it is not a graph input because onnxruntime-node only
 * feeds declared inputs and an input initializer blocks constant folding.
 * Encoding is deterministic: no timestamps, fixed field and node order.
 */
import onnxProto from "onnx-proto";
import {
  WINK_ATTENTION_MASK,
  WINK_INPUT_IDS,
  WINK_OUTPUT,
  WINK_TOKEN_WEIGHT,
} from "../wink-model";

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

export interface SifGraphTables {
  vocabSize: number;
  dims: number;
  /** [vocabSize, dims] row-major int8, row 0 (padding) all zero. */
  embedding: Int8Array;
  /** Per-row dequantisation scale, [vocabSize]. */
  rowScale: Float32Array;
  /** Default per-token weights (SIF), [vocabSize], 0 for padding. */
  tokenWeight: Float32Array;
  /** [dims, dims] row-major projection applied before normalising; omit for none. */
  projection?: Float32Array;
  docString: string;
}

function bytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function tensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): ITensor {
  return { name, dataType, dims, rawData: bytes(data) };
}

function node(opType: string, inputs: string[], outputs: string[], attrs: onnxProto.onnx.IAttributeProto[] = []): INode {
  return { opType, input: inputs, output: outputs, name: outputs[0], attribute: attrs };
}

const intAttr = (name: string, i: number) => ({ name, type: A.INT, i });

function valueInfo(name: string, elemType: number, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Serialise the pooling graph; same tables in, same bytes out. */
export function encodeSifModel(t: SifGraphTables): Uint8Array {
  const { vocabSize: V, dims: D } = t;
  if (t.embedding.length !== V * D || t.rowScale.length !== V || t.tokenWeight.length !== V) {
    throw new Error("encodeSifModel: table sizes do not match vocabSize × dims");
  }
  const initializers: ITensor[] = [
    tensor("embedding_q", T.INT8, [V, D], t.embedding),
    tensor("row_scale", T.FLOAT, [V], t.rowScale),
    tensor(WINK_TOKEN_WEIGHT, T.FLOAT, [V], t.tokenWeight),
    tensor("axis_1", T.INT64, [1], BigInt64Array.of(1n)),
    tensor("epsilon", T.FLOAT, [], Float32Array.of(1e-12)),
  ];
  const nodes: INode[] = [
    node("Cast", [WINK_ATTENTION_MASK], ["mask_f"], [intAttr("to", T.FLOAT)]),
    node("Gather", [WINK_TOKEN_WEIGHT, WINK_INPUT_IDS], ["tw"]),
    node("Mul", ["tw", "mask_f"], ["w"]),
    node("Gather", ["row_scale", WINK_INPUT_IDS], ["sc"]),
    node("Mul", ["w", "sc"], ["ws"]),
    node("Unsqueeze", ["ws", "axis_1"], ["ws_row"]), // [B, 1, S]
    node("Gather", ["embedding_q", WINK_INPUT_IDS], ["eq"]),
    node("Cast", ["eq"], ["e"], [intAttr("to", T.FLOAT)]),
    node("MatMul", ["ws_row", "e"], ["pooled_row"]), // [B, 1, D]
    node("Squeeze", ["pooled_row", "axis_1"], ["pooled_sum"]),
    node("ReduceSum", ["w", "axis_1"], ["w_sum"], [intAttr("keepdims", 1)]),
    node("Max", ["w_sum", "epsilon"], ["w_sum_safe"]),
    node("Div", ["pooled_sum", "w_sum_safe"], ["pooled"]),
  ];
  let last = "pooled";
  if (t.projection) {
    if (t.projection.length !== D * D) throw new Error("encodeSifModel: projection must be dims × dims");
    initializers.push(tensor("projection", T.FLOAT, [D, D], t.projection));
    nodes.push(node("MatMul", ["pooled", "projection"], ["projected"]));
    last = "projected";
  }
  nodes.push(
    node("Mul", [last, last], ["squares"]),
    node("ReduceSum", ["squares", "axis_1"], ["sum_squares"], [intAttr("keepdims", 1)]),
    node("Sqrt", ["sum_squares"], ["norm"]),
    node("Max", ["norm", "epsilon"], ["norm_safe"]),
    node("Div", [last, "norm_safe"], [WINK_OUTPUT]),
  );
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "vouch models:build",
    producerVersion: "1",
    docString: t.docString,
    graph: {
      name: "sif_pooling",
      node: nodes,
      initializer: initializers,
      input: [
        valueInfo(WINK_INPUT_IDS, T.INT64, ["batch", "sequence"]),
        valueInfo(WINK_ATTENTION_MASK, T.INT64, ["batch", "sequence"]),
      ],
      output: [valueInfo(WINK_OUTPUT, T.FLOAT, ["batch", D])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/** The same model with its `token_weight` table replaced (for corpus-adapted weights). */
export function replaceTokenWeights(modelBytes: Uint8Array, weights: Float32Array): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes);
  const init = model.graph?.initializer?.find((i) => i.name === WINK_TOKEN_WEIGHT);
  const size = Number(init?.dims?.[0] ?? -1);
  if (!init || size !== weights.length) {
    throw new Error(`replaceTokenWeights: model has no ${WINK_TOKEN_WEIGHT} table of ${weights.length} entries`);
  }
  init.rawData = bytes(weights);
  return onnx.ModelProto.encode(model).finish();
}

/** The `token_weight` table stored in a built model. */
export function readTokenWeights(modelBytes: Uint8Array): Float32Array {
  const init = onnx.ModelProto.decode(modelBytes).graph?.initializer?.find((i) => i.name === WINK_TOKEN_WEIGHT);
  if (!init?.rawData) throw new Error(`readTokenWeights: model has no ${WINK_TOKEN_WEIGHT} table`);
  // Copy: the decoded bytes may be unaligned for a Float32Array view.
  return new Float32Array(Uint8Array.from(init.rawData).buffer);
}
