# Dumps a GGUF file as the reference reader (PyPI gguf) sees it, as JSON on stdout.
import json
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType

path = sys.argv[1]
full = "--full" in sys.argv[2:]
reader = GGUFReader(path)


def field_value(field):
    main = field.types[0]
    if main == GGUFValueType.ARRAY:
        sub = field.types[-1]
        if sub == GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode("utf-8") for i in field.data]
        # Nested arrays come back flattened by gguf-py.
        return [v for i in field.data for v in field.parts[i].tolist()]
    if main == GGUFValueType.STRING:
        return bytes(field.parts[-1]).decode("utf-8")
    return field.parts[-1].tolist()[0]


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


kvs = []
for name, field in reader.fields.items():
    if name.startswith("GGUF."):
        continue
    kvs.append({"key": name, "types": [t.name for t in field.types], "value": tagged(field_value(field))})

tensors = []
for t in reader.tensors:
    raw = np.asarray(t.data).view(np.uint8).reshape(-1)
    entry = {
        "name": t.name,
        "type": int(t.tensor_type),
        "shape": [int(d) for d in t.shape],
        "n_elements": int(t.n_elements),
        "n_bytes": int(t.n_bytes),
        "data_offset": int(t.data_offset),
        "head": bytes(raw[:32]).hex(),
        "tail": bytes(raw[-32:]).hex(),
    }
    if full:
        entry["hex"] = bytes(raw).hex()
    tensors.append(entry)

version = reader.fields["GGUF.version"].parts[-1].tolist()[0]
print(json.dumps({"version": int(version), "alignment": int(reader.alignment), "kv": kvs, "tensors": tensors}))
