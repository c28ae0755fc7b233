"""Loads the Keras files Lamina wrote and reports what Keras computes with them (for KerasRoundTripTest).

    KERAS_BACKEND=jax python3 check_lamina_files.py REQUEST.json RESULT.json

REQUEST lists the files, the rows to predict and, per file, an optional batch for one training step.
RESULT gives, per file, Keras' predictions, its compile settings and the weights after that step.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402


def main(request_path, result_path):
    with open(request_path) as f:
        request = json.load(f)
    results = {}
    for item in request["files"]:
        try:
            results[item["file"]] = check(item)
        except Exception as e:
            raise RuntimeError("Keras could not use " + item["file"]) from e
    with open(result_path, "w") as f:
        json.dump(results, f)


def check(item):
    model = keras.saving.load_model(item["file"])
    x = np.asarray(item["inputs"], dtype="float32")
    out = {"predictions": np.asarray(model(x, training=False), dtype="float64").tolist(),   # predict() without its per-model compile
           "layers": [type(l).__name__ for l in model.layers]}
    if getattr(model, "optimizer", None) is not None and getattr(model, "compiled", False):
        out["optimizer"] = type(model.optimizer).__name__
        out["learning_rate"] = float(model.optimizer.learning_rate.numpy())
        out["iterations"] = int(model.optimizer.iterations.numpy())
        out["loss"] = str(model.loss if isinstance(model.loss, str) else type(model.loss).__name__)
    if item.get("step_x") is not None:
        model.fit(np.asarray(item["step_x"], dtype="float32"), np.asarray(item["step_y"], dtype="float32"),
                  epochs=1, batch_size=len(item["step_x"]), shuffle=False, verbose=0)
        out["weights_after_step"] = [np.asarray(w, dtype="float64").tolist() for w in model.get_weights()]
    return out


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
