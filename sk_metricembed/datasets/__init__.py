"""Data sets from local files (never from the network), and relabelled copies.

:func:`load_mnist` and :func:`load_cifar10` read the two image sets of the
sources from their usual files. :func:`hide_labels` turns fully labelled
data into the semi-supervised kind the embedders are made for: each class
keeps a share of its labels, the other rows are marked unlabelled with -1.
:func:`merge_classes` joins classes into composite ones.
"""

from ._files import load_cifar10, load_idx, load_mnist
from ._relabel import hide_labels, merge_classes

__all__ = ["load_idx", "load_mnist", "load_cifar10", "hide_labels", "merge_classes"]
