"""The model and its initialization as code: plain ``nn.Module`` classes.

The classes have the app's structure and names (``MLP.net``, ``WindowMLP.embedding`` /
``.mlp``, ``TextClassifier.embedding`` / ``.fc``), so their parameters register in the
app's order (which fixes the initial weights) and a saved ``state_dict`` has the keys of
the app's weights download.
"""
from __future__ import annotations

import textwrap

from playground.data import drawn, drawn_points, is_regression, tables, toy2d
from playground.data.alphabet import N_SYMBOLS
from playground.data.text import AG_NEWS_CLASSES
from playground.models.features import FEATURES, chosen
from playground.models.init import UNIFORM_RANGE

from .sections import Section, fill, literal

ACTIVATIONS = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()",
               "gelu": "nn.GELU()", "linear": "nn.Identity()"}
_GAIN_NAME = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "gelu": "relu",
              "linear": "linear"}   # torch.nn.init's gain for each activation (as the app)
INIT_CALLS = {
    "xavier_uniform": "nn.init.xavier_uniform_(p, generator=generator)",
    "xavier_normal": "nn.init.xavier_normal_(p, generator=generator)",
    "kaiming_uniform": "nn.init.kaiming_uniform_(p, nonlinearity=$GAIN, generator=generator)",
    "kaiming_normal": "nn.init.kaiming_normal_(p, nonlinearity=$GAIN, generator=generator)",
    "orthogonal": "nn.init.orthogonal_(p, generator=generator)",
    "normal": "nn.init.normal_(p, 0.0, $STD, generator=generator)",
    "uniform": "nn.init.uniform_(p, -$RANGE, $RANGE, generator=generator)",
    "zeros": "p.zero_()",
}
INIT_WORDS = {
    "xavier_uniform": "Xavier-uniform weights (variance 2 / (fan_in + fan_out))",
    "xavier_normal": "Xavier-normal weights (variance 2 / (fan_in + fan_out))",
    "kaiming_uniform": "Kaiming-uniform weights (variance 2 / fan_in for ReLU)",
    "kaiming_normal": "Kaiming-normal weights (variance 2 / fan_in for ReLU)",
    "orthogonal": "orthogonal weight matrices",
    "normal": "Normal(0, σ) weights",
    "uniform": "U(−$RANGE, $RANGE) weights (torchtext's text-classification tutorial)",
    "randn": "N(0, 1) for every tensor, biases included (makemore's torch.randn calls)",
    "zeros": "all-zero weights (every hidden unit identical: they never become different)",
}


def n_classes(config) -> int:
    if is_regression(config):
        return 1                      # one output: the standardised target
    kind = config.dataset
    if kind == "draw":
        return drawn.n_classes(drawn_points.decode(config.points)[1])
    if kind in toy2d.GENERATORS:
        return config.classes if kind in toy2d.MULTICLASS else 2
    if kind == "table":
        return len(tables.prepared(config).class_names)
    return {"digits": 10, "news": len(AG_NEWS_CLASSES)}.get(kind, N_SYMBOLS)


def mlp_class(config, n_in: int, n_out: int, doc: str,
              features: tuple[str, ...] | None = None) -> str:
    rows, width_in = [], len(features) if features else n_in
    act = ACTIVATIONS[config.activation]
    for _ in range(config.hidden_layers):
        drop = f", nn.Dropout({literal(config.dropout)})" if config.dropout > 0 else ""
        rows.append(f"nn.Linear({width_in}, {config.width}), {act}{drop},")
        width_in = config.width
    rows.append(f"nn.Linear({width_in}, {n_out}),")
    layers = "\n".join(rows)
    out_name = "prediction" if n_out == 1 else "logits"   # one output: a regression
    if features:
        exprs = ", ".join(FEATURES[n][2] for n in features)
        labels = ", ".join(FEATURES[n][0] for n in features)
        forward = fill('''
            def forward(self, x):        # x: [batch, 2] points
                x = torch.stack([$EXPRS], 1)   # $LABELS: [batch, $K]
                return self.net(x)       # [batch, $N_OUT] $OUT
            ''', EXPRS=exprs, LABELS=labels, K=len(features), N_OUT=n_out, OUT=out_name)
    else:
        forward = fill('''
            def forward(self, x):        # x: [batch, $N_IN]
                return self.net(x)       # [batch, $N_OUT] $OUT
            ''', N_IN=n_in, N_OUT=n_out, OUT=out_name)
    return fill('''
        class MLP(nn.Module):
            """$DOC"""

            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(
                    $LAYERS
                )

            $FORWARD
        ''', DOC=textwrap.fill(doc, 80).replace("\n", "\n    "), LAYERS=layers,
        FORWARD=forward)


def _sizes(config, n_in: int, n_out: int) -> str:
    act = f" {config.activation}" if config.hidden_layers else ""
    sizes = [str(n_in)] + [f"{config.width}{act}"] * config.hidden_layers + [str(n_out)]
    drop = f", dropout {config.dropout:g} after each hidden layer" if (
        config.dropout > 0 and config.hidden_layers) else ""
    return " → ".join(sizes) + drop


def model_classes(config, kind: str) -> tuple[str, str]:
    """(class definitions, the line that builds ``model``)."""
    out = n_classes(config)
    if kind == "tokens":
        return fill('''
            class TextClassifier(nn.Module):
                """The mean of a document's word embeddings, then one linear layer."""

                def __init__(self, vocab_size, embed_dim, n_classes):
                    super().__init__()
                    self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, mode="mean")
                    self.fc = nn.Linear(embed_dim, n_classes)

                def forward(self, tokens, offsets):           # flat ids, where each document starts
                    return self.fc(self.embedding(tokens, offsets))   # [documents, classes]
            '''), f"model = TextClassifier(len(itos), EMBED_DIM, {out})"
    if kind == "chars":
        n_in = config.context * config.embed_dim
        mlp = mlp_class(config, n_in, out, f"{config.context} × {config.embed_dim} embedding "
                        f"values → logits for the next symbol: {_sizes(config, n_in, out)}.")
        return mlp + "\n\n" + fill('''
            class WindowMLP(nn.Module):
                """Embed each of the last CONTEXT symbols, concatenate, then the MLP."""

                def __init__(self):
                    super().__init__()
                    self.embedding = nn.Embedding($SYMBOLS, EMBED_DIM)   # one vector per symbol
                    self.mlp = MLP()

                def forward(self, window):                    # [batch, CONTEXT] symbol ids
                    return self.mlp(self.embedding(window).flatten(1))   # [batch, $SYMBOLS]
            ''', SYMBOLS=N_SYMBOLS), "model = WindowMLP()"
    n_in = {"image": 64, "points1d": 1}.get(kind, 2)
    if kind == "table":           # numbers plus one column per text category
        n_in = len(tables.prepared(config).input_names)
    features = chosen(config) if kind == "points2d" else None
    doc = f"{_sizes(config, len(features) if features else n_in, out)} " + (
        "(one output: the standardised target)." if is_regression(config) else
        "(no softmax: the loss applies it).")
    doc += (f" Inputs: {', '.join(FEATURES[n][0] for n in features)}, computed from each "
            "point." if features else "")
    return mlp_class(config, n_in, out, doc, features), "model = MLP()"


def model_section(config, kind: str) -> Section:
    classes, build = model_classes(config, kind)
    dropout = config.dropout > 0 and config.hidden_layers > 0
    seed = ("# Dropout masks come from torch's global generator: seed it so that every run\n"
            "# of this script draws the same masks.\ntorch.manual_seed(SEED)\n"
            if dropout else "")
    text = ("The network as a plain `nn.Module`, with the app's layer names (a saved "
            "`state_dict` loads into the app's model).")
    if dropout:
        text += (" Dropout masks come from torch's global generator, seeded here. The app "
                 "does not seed that generator (one serves every run on its server), so "
                 "with dropout the app's masks differ from run to run; a Trainer built right "
                 "after `torch.manual_seed(SEED)` draws exactly this script's masks.")
    return Section("The model", text, classes + "\n\n" + seed + build + "\n",
                   ("import torch", "from torch import nn"))


def init_section(config) -> Section:
    if config.init == "randn":
        return _randn_section()
    call = INIT_CALLS[config.init]
    call = call.replace("$GAIN", repr(_GAIN_NAME.get(config.activation, "linear")))
    call = call.replace("$STD", literal(config.init_std))
    call = call.replace("$RANGE", literal(UNIFORM_RANGE))
    words = INIT_WORDS[config.init].replace("$RANGE", literal(UNIFORM_RANGE))
    return Section(
        "The initial weights",
        f"{words[0].upper() + words[1:]}, zero biases. Every weight is drawn from "
        "one generator seeded with `SEED`, visiting the parameters in registration order: "
        "the start depends only on the seed, the architecture and the scheme — never on "
        "the optimizer — so two runs that differ only in their optimizer start from the "
        "same weights.",
        fill('''
            generator = torch.Generator().manual_seed(SEED)
            with torch.no_grad():
                for p in model.parameters():
                    if p.dim() < 2:
                        p.zero_()                 # biases
                    else:
                        $CALL
            print(model)
            print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
            ''', CALL=call),
        ("import torch", "from torch import nn"))


def _randn_section() -> Section:
    # The lecture draws every tensor with torch.randn, biases included: one loop without
    # the bias branch, the same generator and visiting order as the other schemes.
    return Section(
        "The initial weights",
        f"{INIT_WORDS['randn'][0].upper() + INIT_WORDS['randn'][1:]}. Every tensor is drawn "
        "from one generator seeded with `SEED`, visiting the parameters in registration "
        "order: the start depends only on the seed, the architecture and the scheme — never "
        "on the optimizer. (`nn.Linear` stores a weight as out × in where the lecture writes "
        "in × out: the values differ from the lecture's, their distribution does not.)",
        fill('''
            generator = torch.Generator().manual_seed(SEED)
            with torch.no_grad():
                for p in model.parameters():
                    p.normal_(0.0, 1.0, generator=generator)
            print(model)
            print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
            '''),
        ("import torch",))
