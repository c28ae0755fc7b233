"""Writes the Keras fixtures that lamina-keras' tests load.

Run from the repository root with Keras 3 and JAX installed (pip install keras jax jaxlib):

    KERAS_BACKEND=jax python3 keras/src/test/python/make_fixtures.py

For each model it trains a few steps on seeded random data, then saves it as a Keras 3 ``.keras``
archive and as a legacy ``.h5`` file, beside a ``.json`` with the inputs, Keras' predictions, the
weights and -- for models without dropout -- the weights after one more training step on a fixed
batch (which checks that the optimizer state was restored). It also writes models Lamina must
refuse (a Conv2D, a functional graph, a custom layer).
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "keras-fixtures")


def data(rows, width, kind, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, width)).astype("float32")
    if kind == "regression":
        y = (x @ rng.normal(size=(width, 1))).astype("float32")
    elif kind == "binary":
        y = (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype("float32")
    elif kind == "sparse":
        y = rng.integers(0, classes, size=(rows, 1)).astype("float32")
    else:  # one-hot
        y = np.eye(classes, dtype="float32")[rng.integers(0, classes, size=rows)]
    return x, y


def models():
    L = keras.layers
    yield "regression_adam", 5, "regression", keras.Sequential([
        keras.Input((5,)),
        L.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)),
        L.Dense(4, activation="tanh", kernel_initializer="he_normal"),
        L.Dense(1),
    ]), dict(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    yield "binary_sgd_bn_dropout", 4, "binary", keras.Sequential([
        keras.Input((4,)),
        L.Dense(6, activation="sigmoid", kernel_initializer="glorot_normal"),
        L.BatchNormalization(),
        L.Dropout(0.25),
        L.Dense(1, activation="sigmoid"),
    ]), dict(optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True), loss="binary_crossentropy",
             metrics=["accuracy"])
    yield "multiclass_rmsprop_bn", 6, "sparse", keras.Sequential([
        keras.Input((6,)),
        L.Dense(8, activation="elu", kernel_regularizer=keras.regularizers.L1(0.001), bias_initializer="ones"),
        L.BatchNormalization(momentum=0.9, epsilon=0.01),
        L.Dense(3),
        L.Activation("softmax"),
    ]), dict(optimizer=keras.optimizers.RMSprop(0.005, rho=0.8), loss="sparse_categorical_crossentropy",
             metrics=["accuracy"])
    acts = ["linear", "relu", "elu", "gelu", "selu", "silu", "sigmoid", "tanh", "softplus", "leaky_relu"]
    inits = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
             "random_normal", "random_uniform", "glorot_uniform", "ones"]
    layers = [keras.Input((3,))]
    for a, i in zip(acts, inits):
        layers.append(L.Dense(4, activation=a, kernel_initializer=i,
                              kernel_regularizer=keras.regularizers.L1L2(0.001, 0.002)))
    layers += [L.Activation("swish"), L.Dense(3, activation="softmax")]
    yield "activations_adagrad", 3, "onehot", keras.Sequential(layers), dict(
        optimizer=keras.optimizers.Adagrad(0.02, initial_accumulator_value=0.2), loss="categorical_crossentropy",
        metrics=["categorical_accuracy"])
    yield "adamw_huber_clipnorm", 4, "regression", keras.Sequential([
        keras.Input((4,)),
        L.Dense(5, activation="selu", kernel_initializer="lecun_normal"),
        L.Activation("gelu"),
        L.Dense(2, activation="softplus"),
        L.Dense(1),
    ]), dict(optimizer=keras.optimizers.AdamW(0.003, weight_decay=0.01, clipnorm=1.0),
             loss=keras.losses.Huber(delta=2.0), metrics=["mse"])
    yield "logits_sgd_clipvalue", 3, "binary", keras.Sequential([
        keras.Input((3,)),
        L.Dense(4, activation="leaky_relu"),
        L.Dense(1),
    ]), dict(optimizer=keras.optimizers.SGD(0.1, clipvalue=0.5), loss=keras.losses.BinaryCrossentropy(from_logits=True),
             metrics=["binary_accuracy"])
    yield "uncompiled", 2, None, keras.Sequential([keras.Input((2,)), L.Dense(3, activation="relu"), L.Dense(2)]), None


def floats(a):
    return np.asarray(a, dtype="float64").round(9).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    keras.utils.set_random_seed(7)
    for name, width, kind, model, compile_args in models():
        x_pred = np.random.default_rng(99).normal(size=(6, width)).astype("float32")
        record = {"keras_version": keras.__version__, "inputs": floats(x_pred)}
        if compile_args is not None:
            model.compile(**compile_args)
            x, y = data(32, width, kind, seed=len(name))
            model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
            record["iterations"] = int(model.optimizer.iterations.numpy())
        record["predictions"] = floats(model.predict(x_pred, verbose=0))
        record["weights"] = [floats(w) for w in model.get_weights()]
        model.save(os.path.join(OUT, name + ".keras"))
        model.save(os.path.join(OUT, name + ".h5"))
        has_dropout = any(isinstance(l, keras.layers.Dropout) for l in model.layers)
        if compile_args is not None and not has_dropout:
            # one more step on a fixed batch, by the model Keras loads from the file (Keras 3 does not save
            # every setting, e.g. Huber's delta): a loader that restored the optimizer state gets these weights
            reloaded = keras.saving.load_model(os.path.join(OUT, name + ".keras"))
            xb, yb = data(8, width, kind, seed=1000 + len(name))
            reloaded.fit(xb, yb, epochs=1, batch_size=8, shuffle=False, verbose=0)
            record["next_step"] = {"x": floats(xb), "y": floats(yb),
                                   "weights": [floats(w) for w in reloaded.get_weights()]}
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(record, f, separators=(",", ":"))
        print("wrote", name)
    refused()
    tf_keras_style()
    keras_2_13_layout()


def keras_2_13_layout():
    """regression_adam.keras with its layers' weights under _layer_checkpoint_dependencies, as the .keras
    files of tf.keras 2.13-2.15 keep them (Keras 3 reads both)."""
    import h5py
    import io
    import zipfile
    source = os.path.join(OUT, "regression_adam.keras")
    with zipfile.ZipFile(source) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    buffer = io.BytesIO(entries["model.weights.h5"])
    with h5py.File(buffer, "r+") as f:
        f.move("layers", "_layer_checkpoint_dependencies")
    entries["model.weights.h5"] = buffer.getvalue()
    with zipfile.ZipFile(os.path.join(OUT, "keras_2_13_layout.keras"), "w") as z:
        for name, data_ in entries.items():
            z.writestr(name, data_)
    print("wrote keras_2_13_layout")


def tf_keras_style():
    """A full-model .h5 in the layout tf.keras 2.x (TensorFlow <= 2.10) writes, built with h5py from a
    Keras 3 model: there is no TensorFlow here to write a real one. Its configs use Keras 2's forms
    (batch_input_shape, "float32" dtypes, axis [1], MeanMetricWrapper, a legacy Adam with decay) and
    its weights Keras 2's names (dense/kernel:0; optimizer Adam/iter:0, Adam/dense/kernel/m:0, ...)."""
    import h5py
    L = keras.layers
    model = keras.Sequential([keras.Input((4,)), L.Dense(5, activation="relu", name="dense"),
                              L.BatchNormalization(name="batch_normalization"), L.Dense(1, name="dense_1")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x, y = data(32, 4, "regression", seed=123)
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    init = lambda name: {"class_name": name, "config": {"seed": None} if name.startswith("Glorot") else {}}
    dense = lambda name, units, act, first: {"class_name": "Dense", "config": dict(
        {"name": name, "trainable": True, "dtype": "float32"}, **({"batch_input_shape": [None, 4]} if first else {}),
        units=units, activation=act, use_bias=True, kernel_initializer=init("GlorotUniform"),
        bias_initializer=init("Zeros"), kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
        kernel_constraint=None, bias_constraint=None)}
    bn = {"class_name": "BatchNormalization", "config": {
        "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.99,
        "epsilon": 0.001, "center": True, "scale": True, "beta_initializer": init("Zeros"),
        "gamma_initializer": init("Ones"), "moving_mean_initializer": init("Zeros"),
        "moving_variance_initializer": init("Ones"), "beta_regularizer": None, "gamma_regularizer": None,
        "beta_constraint": None, "gamma_constraint": None}}
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "dense_input"}},
        dense("dense", 5, "relu", True), bn, dense("dense_1", 1, "linear", False)]}}
    training_config = {"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper", "config": {
        "name": "mae", "dtype": "float32", "fn": "mean_absolute_error"}}]], "weighted_metrics": None,
        "loss_weights": None, "optimizer_config": {"class_name": "Adam", "config": {
            "name": "Adam", "learning_rate": 0.01, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
            "amsgrad": False}}}
    weights = {"dense": ["kernel", "bias"], "batch_normalization": ["gamma", "beta", "moving_mean", "moving_variance"],
               "dense_1": ["kernel", "bias"]}
    path = os.path.join(OUT, "tf_keras_style.h5")
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.10.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(training_config)
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [n.encode() for n in weights]
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = "2.10.0"
        for layer in model.layers:
            lg = g.create_group(layer.name)
            names = [f"{layer.name}/{w}:0" for w in weights[layer.name]]
            lg.attrs["weight_names"] = [n.encode() for n in names]
            for n, v in zip(names, layer.get_weights()):
                lg[n] = v
        # Keras 3 keeps [iteration, learning_rate, then per weight: m, v]; tf.keras 2 [iter, all m, all v]
        opt = model.optimizer
        trainable = [(l.name, w) for l in model.layers for w in weights[l.name][:2]]
        slots = {"m": opt.variables[2::2], "v": opt.variables[3::2]}
        og = f.create_group("optimizer_weights")
        names = ["Adam/iter:0"] + [f"Adam/{l}/{w}/{s}:0" for s in ("m", "v") for l, w in trainable]
        og.attrs["weight_names"] = [n.encode() for n in names]
        og[names[0]] = np.int64(opt.iterations.numpy())
        i = 1
        for s in ("m", "v"):
            for value in slots[s]:
                og[names[i]] = np.asarray(value)
                i += 1
    x_pred = np.random.default_rng(99).normal(size=(6, 4)).astype("float32")
    record = {"keras_version": keras.__version__, "inputs": floats(x_pred),
              "predictions": floats(model.predict(x_pred, verbose=0)),
              "weights": [floats(w) for w in model.get_weights()], "iterations": int(opt.iterations.numpy())}
    xb, yb = data(8, 4, "regression", seed=1001)
    model.fit(xb, yb, epochs=1, batch_size=8, shuffle=False, verbose=0)
    record["next_step"] = {"x": floats(xb), "y": floats(yb), "weights": [floats(w) for w in model.get_weights()]}
    with open(os.path.join(OUT, "tf_keras_style.json"), "w") as f:
        json.dump(record, f, separators=(",", ":"))
    print("wrote tf_keras_style")


@keras.saving.register_keras_serializable(package="fixtures")
class Doubler(keras.layers.Layer):
    def call(self, x):
        return 2 * x


def refused():
    L = keras.layers
    conv = keras.Sequential([keras.Input((6, 6, 1)), L.Conv2D(2, 3), L.Flatten(), L.Dense(1)])
    conv.save(os.path.join(OUT, "refused_conv2d.keras"))
    conv.save(os.path.join(OUT, "refused_conv2d.h5"))
    inp = keras.Input((3,))
    functional = keras.Model(inp, L.Dense(1)(L.Dense(2, activation="relu")(inp)))
    functional.save(os.path.join(OUT, "refused_functional.keras"))
    custom = keras.Sequential([keras.Input((3,)), L.Dense(2), Doubler()])
    custom.save(os.path.join(OUT, "refused_custom_layer.keras"))
    print("wrote the refused models")


if __name__ == "__main__":
    sys.exit(main())
