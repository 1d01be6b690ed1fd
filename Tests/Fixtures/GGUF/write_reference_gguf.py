# Writes a GGUF with the reference writer (PyPI gguf) and prints what it wrote as JSON.
import json
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q, GGUFValueType as V, GGUFWriter

path = sys.argv[1]
writer = GGUFWriter(path, arch="testarch")
writer.add_custom_alignment(64)

kvs = [
    ("test.u8", V.UINT8, 200), ("test.i8", V.INT8, -100), ("test.u16", V.UINT16, 65000),
    ("test.i16", V.INT16, -32000), ("test.u32", V.UINT32, 4_000_000_000), ("test.i32", V.INT32, -2_000_000_000),
    ("test.f32", V.FLOAT32, -2.5), ("test.bool", V.BOOL, True), ("test.string", V.STRING, "héllo, wörld ✓"),
    ("test.u64", V.UINT64, 2**63 + 5), ("test.i64", V.INT64, -(2**62)), ("test.f64", V.FLOAT64, 0.1),
]
for key, vtype, value in kvs:
    writer.add_key_value(key, value, vtype)
arrays = [
    ("test.strings", V.STRING, ["a", "", "ß", "<|im_start|>", "日本語"]),
    ("test.ints", V.INT32, [1, -2, 3, 2**31 - 1]),
    ("test.floats", V.FLOAT32, [0.5, -1.25, 3.0]),
    ("test.bools", V.BOOL, [True, False, True]),
]
for key, sub, value in arrays:
    writer.add_key_value(key, value, V.ARRAY, sub_type=sub)
writer.add_key_value("test.nested", [[1, 2], [3]], V.ARRAY, sub_type=V.ARRAY)

rng = np.random.default_rng(7)
tensors = [
    ("t.f32", np.arange(2 * 64, dtype=np.float32).reshape(2, 64) / 7, None),
    ("t.f16", (np.arange(3 * 32, dtype=np.float32) - 40).astype(np.float16).reshape(3, 32), None),
    ("t.i8", np.arange(-64, 64, dtype=np.int8), None),
    ("t.i16", np.arange(16, dtype=np.int16).reshape(2, 2, 4), None),
    ("t.i32", np.arange(24, dtype=np.int32).reshape(1, 2, 3, 4), None),
    ("t.f64", np.linspace(-1, 1, 8, dtype=np.float64), None),
    ("t.bf16", rng.integers(0, 256, size=(2, 64), dtype=np.uint8), Q.BF16),
    ("t.q8_0", rng.integers(0, 256, size=(4, 34 * 2), dtype=np.uint8), Q.Q8_0),
    ("t.q4_1", rng.integers(0, 256, size=(2, 20 * 3), dtype=np.uint8), Q.Q4_1),
    ("t.tq2_0", rng.integers(0, 256, size=(1, 66), dtype=np.uint8), Q.TQ2_0),
]
for name, array, raw in tensors:
    writer.add_tensor(name, array, raw_dtype=raw)

writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()

def tagged(v):
    """Numbers become tagged strings ("i:5", "f:0.1") so JSON keeps 64-bit integers exact."""
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return "i:%d" % v
    if isinstance(v, float):
        return "f:" + repr(v)
    return "s:" + v


out_kv = [{"key": "general.architecture", "types": ["STRING"], "value": "testarch"},
          {"key": "general.alignment", "types": ["UINT32"], "value": 64}]
for key, vtype, value in kvs:
    if vtype == V.FLOAT32:
        value = float(np.float32(value))
    out_kv.append({"key": key, "types": [vtype.name], "value": value})
for key, sub, value in arrays:
    if sub == V.FLOAT32:
        value = [float(np.float32(v)) for v in value]
    out_kv.append({"key": key, "types": ["ARRAY", sub.name], "value": value})
out_kv.append({"key": "test.nested", "types": ["ARRAY", "ARRAY", "INT32"], "value": [[1, 2], [3]]})

for entry in out_kv:
    entry["value"] = tagged(entry["value"])

out_tensors = []
for name, array, raw in tensors:
    blob = array.tobytes()
    if raw is None:
        shape = list(reversed(array.shape))
        type_id = {np.float32: 0, np.float16: 1, np.int8: 24, np.int16: 25, np.int32: 26, np.float64: 28}[array.dtype.type]
    else:
        block, size = {Q.BF16: (1, 2), Q.Q8_0: (32, 34), Q.Q4_1: (32, 20), Q.TQ2_0: (256, 66)}[raw]
        shape = [array.shape[1] // size * block] + list(reversed(array.shape[:-1]))
        type_id = int(raw)
    out_tensors.append({"name": name, "type": type_id, "shape": shape, "hex": blob.hex()})
print(json.dumps({"version": 3, "alignment": 64, "kv": out_kv, "tensors": out_tensors}))
