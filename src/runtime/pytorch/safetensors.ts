/**
 * Writes and reads the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then
 * the raw little-endian data. Only float32 is written (all latentflow weights are float32).
 */

export interface SafeTensor { shape: readonly number[]; values: Float32Array }

/** Packs named float32 tensors (in the given order) with optional string metadata. */
export function writeSafetensors(tensors: ReadonlyMap<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.values.length) throw new Error(`tensor ${name}: shape [${t.shape.join(', ')}] holds ${size} values, got ${t.values.length}`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  // The data starts 8-byte aligned (the format pads the header with spaces).
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.values.length; i++, at += 4) view.setFloat32(at, t.values[i]!, true);
  }
  return out;
}

/** Reads a safetensors file of float32 tensors (what writeSafetensors writes). */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('not a safetensors file: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  if (8 + length > bytes.length) throw new Error(`not a safetensors file: its header length ${length} runs past the end`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + length;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = t as unknown as Record<string, string>;
      continue;
    }
    if (t.dtype !== 'F32') throw new Error(`tensor ${name}: dtype ${t.dtype}, only F32 is read`);
    const [from, to] = t.data_offsets;
    if (base + to > bytes.length || to - from !== 4 * t.shape.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${name}: bad data offsets`);
    const values = new Float32Array((to - from) / 4);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(base + from + 4 * i, true);
    tensors.set(name, { shape: t.shape, values });
  }
  return { tensors, metadata };
}
