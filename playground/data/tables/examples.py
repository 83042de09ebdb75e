"""Example tables shipped with scikit-learn, read from its data files without importing
it (importing scikit-learn pulls in scipy and takes ~1.2 s; see ``data/digits.py``).

The column names are scikit-learn's own (``load_iris().feature_names``, ...): the
package's data files carry numbers only, so they are written out here once.
"""
from __future__ import annotations

import gzip
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .problems import TableProblem
from .table import Table

_CANCER_BASE = ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                "concavity", "concave points", "symmetry", "fractal dimension")
_CANCER = ([f"mean {b}" for b in _CANCER_BASE] + [f"{b} error" for b in _CANCER_BASE]
           + [f"worst {b}" for b in _CANCER_BASE])


@dataclass(frozen=True)
class Example:
    name: str
    label: str                 # what the picker shows
    description: str
    file: str                  # in sklearn/datasets/data/
    features: tuple[str, ...]
    target: str                # the label column's name


EXAMPLES = {e.name: e for e in (
    Example("iris", "Iris flowers (150 × 4, 3 species)",
            "Fisher's irises: four measurements in cm, three species. Classification.",
            "iris.csv", ("sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                         "petal width (cm)"), "species"),
    Example("wine", "Wine (178 × 13, 3 cultivars)",
            "Chemical analysis of wines from three cultivars. Classification.",
            "wine_data.csv", ("alcohol", "malic_acid", "ash", "alcalinity_of_ash",
                              "magnesium", "total_phenols", "flavanoids",
                              "nonflavanoid_phenols", "proanthocyanins", "color_intensity",
                              "hue", "od280/od315_of_diluted_wines", "proline"), "cultivar"),
    Example("breast_cancer", "Breast cancer (569 × 30, 2 diagnoses)",
            "Cell-nucleus measurements from breast-mass images, malignant or benign. "
            "Classification.", "breast_cancer.csv", tuple(_CANCER), "diagnosis"),
    Example("diabetes", "Diabetes (442 × 10, regression)",
            "Age, sex, BMI, blood pressure and six blood serum measurements; the target "
            "is disease progression one year later. Regression.",
            "diabetes_data_raw.csv.gz", ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4",
                                         "s5", "s6"), "progression"),
)}


def data_folder() -> Path | None:
    spec = importlib.util.find_spec("sklearn")      # locates, does not import
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data"


@lru_cache(maxsize=len(EXAMPLES))
def example_table(name: str) -> Table:
    example = EXAMPLES[name]
    folder = data_folder()
    if folder is None or not (folder / example.file).is_file():
        raise TableProblem(f"the example {name!r} needs scikit-learn's data files "
                           "(pip install scikit-learn)")
    if name == "diabetes":
        x = np.loadtxt(folder / example.file)
        with gzip.open(folder / "diabetes_target.csv.gz") as f:
            y = np.loadtxt(f)
        frame = pd.DataFrame(x, columns=list(example.features)).astype("float64")
        frame[example.target] = y.astype("float64")
    else:
        path = folder / example.file
        with path.open() as f:
            classes = f.readline().strip().split(",")[2:]     # "150,4,setosa,..."
        table = np.loadtxt(path, delimiter=",", skiprows=1)
        frame = pd.DataFrame(table[:, :-1], columns=list(example.features)).astype("float64")
        frame[example.target] = pd.Series(
            [classes[int(i)] for i in table[:, -1]], dtype=object)
    return Table(name=name, frame=frame, source="scikit-learn",
                 notes=(f"{example.label}, from scikit-learn's data files.",),
                 default_label=example.target)
