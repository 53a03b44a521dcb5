"""Reads a TensorBoard event file with TensorBoard's own reader and prints its scalars as JSON.

Used by src/callbacks/tensorboard.test.ts when a Python with `tensorboard` is available
(`pip install tensorboard`); CI without it skips that check.

    python check_tfevents.py <event file>  ->  {"tag": [[step, value], ...], ...}
"""
import json
import sys

from tensorboard.backend.event_processing.event_file_loader import EventFileLoader


def main(path: str) -> None:
    scalars: dict[str, list[list[float]]] = {}
    version = None
    for event in EventFileLoader(path).Load():
        if event.HasField("file_version"):
            version = event.file_version
        for value in event.summary.value:
            # The loader upgrades simple_value to a tensor; read whichever is there.
            if value.HasField("simple_value"):
                number = value.simple_value
            else:
                number = value.tensor.float_val[0]
            scalars.setdefault(value.tag, []).append([event.step, number])
    print(json.dumps({"file_version": version, "scalars": scalars}))


if __name__ == "__main__":
    main(sys.argv[1])
