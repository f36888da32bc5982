"""Bad-input cases of gdl.datasets.sequences (see tests/bad_inputs/__init__.py)."""
from bad_inputs import Case
from gdl.datasets import sequences as data_sequences

MODULE = "datasets.sequences"


CASES = [
    Case("datasets.sequences.warped_recall", "dtype", "n", lambda: data_sequences.warped_recall(2.5, 2)),
    Case("datasets.sequences.warped_recall", "value", "num_symbols",
         lambda: data_sequences.warped_recall(4, 2, num_symbols=1)),
    Case("datasets.sequences.adding_task", "dtype", "length", lambda: data_sequences.adding_task(4, 3.0)),
    Case("datasets.sequences.adding_task", "value", "length", lambda: data_sequences.adding_task(4, 1)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "datasets.sequences.warped_recall": {"shape": "takes sizes, no array"},
    "datasets.sequences.adding_task": {"shape": "takes sizes, no array"},
}
