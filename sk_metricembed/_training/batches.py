"""Batch plans: which rows, neighbours and constraints each training step sees.

One epoch visits every row once for the reconstruction (a shuffled chunk per
step). On top of the chunk, each step adds

- a class-balanced set of labelled rows, so that even with 1% of labels a
  batch holds several rows of repeated classes to mine pairs and triplets
  from (labels are then never wasted on batches without partners). When
  the chunk's own labelled rows already hold at least half as many
  same-class pairs as that set would (many labels, few classes), they are
  used instead and no row is added: the step then costs what a plain
  shuffled batch costs;
- one random input-space neighbour for each row of the chunk, the positive
  of the unsupervised neighbour term;
- a slice of the explicit pairs and triplets, whose members join the batch
  (at most ``MAX_CONSTRAINTS_SHARE`` of a batch a step): mostly those whose
  first row is in the chunk already, so that each brings one row fewer.

The sampler yields :class:`BatchPlan` objects; :class:`PlanDataset` turns a
plan into tensors with one fancy-indexing call per array (no per-row
collation), which keeps the data path cheap next to the network: the rows
the network reads (:class:`BatchInputs`, skorch's ``X``) and what the
objective compares its codes with (:class:`BatchTargets`, skorch's ``y``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import torch
from torch.utils.data import Dataset

from .rows import dense_rows

#: Class-balanced labelled rows a step may add, as a share of ``batch_size``
#: (and at least ``MIN_BALANCED_ROWS``).
MAX_BALANCED_SHARE = 0.25
MIN_BALANCED_ROWS = 4
#: Explicit constraints a step may add, as a share of ``batch_size``; the
#: rest wait for the next epoch, where they are drawn first (those drawn
#: longest ago come first, so that every constraint takes its turn). A batch
#: of pairs, and a third of a batch of triplets, whose rows (three each)
#: then number at most the chunk's own. On MNIST with 4,000 triplets and no
#: labels (``batch_size`` 256, 24 steps an epoch, so about half the triplets
#: each epoch) the third took image mode's fit from 165-168 s to 128-134 s
#: on 2 cores at the same accuracy (triplet / 5-NN 0.984 / 0.977 and 0.982 /
#: 0.976 against 0.983 / 0.976 and 0.983 / 0.978, two seeds); half a batch
#: of pairs saved 5-6% and cost 0.2-0.4 points of 5-NN accuracy
#: (``benchmarks/RESULTS.md``). Homing each constraint with its first row
#: (``_constraint_chunks``) then took the encoder's rows a step from about
#: 810 to 660 with 4,000 pairs.
MAX_CONSTRAINTS_SHARE = {"pairs": 1.0, "triplets": 1 / 3}


@dataclass
class BatchPlan:
    """Row indices of one step; positions refer to ``rows``."""

    rows: np.ndarray  # (n_rows,) unique row indices of X
    balanced: np.ndarray  # (n_balanced,) positions of the class-balanced labelled rows
    neighbor_of: np.ndarray  # (n_anchor,) positions of rows with a neighbour
    neighbor_rows: np.ndarray  # (n_anchor,) row indices of their neighbours
    pairs: np.ndarray  # (n_pairs, 2) positions
    pair_similar: np.ndarray  # (n_pairs,)
    triplets: np.ndarray  # (n_triplets, 3) positions
    # Positions of the rows the decoder reconstructs: the batch's own and
    # the balanced labelled rows, not rows drawn only for a pair or triplet
    # (they are encoded, like the neighbours). Empty: every row.
    reconstructed: np.ndarray = field(default_factory=lambda: np.empty(0, np.intp))


#: Classes with two labelled rows or more a batch's class-balanced labelled
#: rows need: below it they draw none, and no label term trains.
MIN_PARTNERED_CLASSES = 2


def partnered_classes(labels: np.ndarray) -> np.ndarray:
    """The labelled classes with two rows or more: only they give a positive."""
    classes, counts = np.unique(labels[labels >= 0], return_counts=True)
    return classes[counts >= 2]


class PlanSampler:
    """Iterable of :class:`BatchPlan` for one epoch; reseeded by its generator.

    With ``repeat_plans`` every epoch yields the first epoch's plans again
    (the generator is rewound), so that the validation rows are scored on
    the same batches, neighbours and constraints each epoch and their loss
    changes only with the network.
    """

    def __init__(
        self,
        n_samples: int,
        labels: np.ndarray,
        batch_size: int,
        rng: np.random.RandomState,
        neighbors: np.ndarray | None = None,
        pairs: np.ndarray | None = None,
        pair_similar: np.ndarray | None = None,
        triplets: np.ndarray | None = None,
        repeat_plans: bool = False,
    ) -> None:
        self.n_samples = n_samples
        self.batch_size = batch_size
        self.rng = rng
        self._first_state = rng.get_state() if repeat_plans else None
        self.neighbors = neighbors
        self.pairs = pairs
        self.pair_similar = pair_similar
        self.triplets = triplets
        # The pass in which each explicit constraint was last drawn, by kind
        # (-1: never), and the passes begun.
        self._last_drawn: dict[str, np.ndarray] = {}
        self._passes = 0
        self.relabel(labels)

    def relabel(self, labels: np.ndarray) -> None:
        """Use new labels from the next epoch on (pseudo-labels, for one)."""
        self.labels = labels
        labeled = np.flatnonzero(labels >= 0)
        self._class_members = [
            labeled[labels[labeled] == c] for c in partnered_classes(labels)
        ]
        self._n_classes = int(labels.max()) + 1 if labeled.size else 0
        self._balanced_pairs = self._expected_balanced_pairs()

    def __len__(self) -> int:
        return max(1, -(-self.n_samples // self.batch_size))

    def __iter__(self):
        if self._first_state is not None:
            self.rng.set_state(self._first_state)
            self._last_drawn.clear()
        self._passes += 1
        n_batches = len(self)
        chunks = np.array_split(self.rng.permutation(self.n_samples), n_batches)
        pair_chunks = self._constraint_chunks(self.pairs, chunks, "pairs")
        triplet_chunks = self._constraint_chunks(self.triplets, chunks, "triplets")
        for step, chunk in enumerate(chunks):
            yield self._plan(chunk, pair_chunks[step], triplet_chunks[step])

    def _constraint_chunks(self, constraints, chunks, kind: str):
        """Each step's constraints: mostly those whose first row is in its chunk.

        Such a constraint brings one row fewer into the batch than one
        drawn apart from the chunk, and the encoder reads every row of a
        batch. A step takes at most ``MAX_CONSTRAINTS_SHARE`` of a batch;
        the constraints over a step's share fill the steps with room, and
        those beyond every step's share wait for the next epoch's draw.
        Each constraint has one home step an epoch, as each row has, so a
        constraint is drawn as often as before: only its step changed. When
        an epoch cannot take them all, those drawn longest ago go first.
        """
        n_batches = len(chunks)
        if constraints is None or len(constraints) == 0:
            return [None] * n_batches
        most = max(1, int(self.batch_size * MAX_CONSTRAINTS_SHARE[kind]))
        step_of_row = np.empty(self.n_samples, dtype=np.intp)
        for step, chunk in enumerate(chunks):
            step_of_row[chunk] = step
        last_drawn = self._last_drawn.setdefault(
            kind, np.full(len(constraints), -1, dtype=np.intp)
        )
        order = self.rng.permutation(len(constraints))
        order = order[np.argsort(last_drawn[order], kind="stable")]
        home = step_of_row[constraints[order, 0]]
        by_home = order[np.argsort(home, kind="stable")]
        counts = np.bincount(home, minlength=n_batches)
        homed = np.split(by_home, np.cumsum(counts)[:-1])
        taken = [ids[:most] for ids in homed]
        spill = np.concatenate([ids[most:] for ids in homed])
        for step in range(n_batches):
            room = most - len(taken[step])
            if room > 0 and spill.size:
                taken[step] = np.concatenate([taken[step], spill[:room]])
                spill = spill[room:]
        last_drawn[np.concatenate(taken)] = self._passes
        return taken

    def _per_class_and_visits(self) -> tuple[int, int]:
        n_classes = len(self._class_members)
        # Why MAX_BALANCED_SHARE is a quarter: with 10% of labels a full
        # batch of labelled rows made each step cost about twice a plain one
        # (an image fit took 156 s), half a batch 1.5 times (93-101 s); a
        # quarter kept the accuracy (MNIST image mode: 0.993 / 0.986 against
        # 0.993 / 0.984). With 1% of labels, MNIST's 6 labelled rows per
        # class fit in a quarter of a batch anyway.
        share = max(MIN_BALANCED_ROWS, int(self.batch_size * MAX_BALANCED_SHARE))
        per_class = max(2, share // n_classes)
        # With many classes, visit a random subset each step.
        n_visit = min(n_classes, max(2, share // per_class))
        return per_class, n_visit

    def _expected_balanced_pairs(self) -> float:
        if len(self._class_members) < MIN_PARTNERED_CLASSES:
            return 0.0
        per_class, n_visit = self._per_class_and_visits()
        sizes = np.array([min(per_class, len(m)) for m in self._class_members])
        return n_visit * float(np.mean(sizes * (sizes - 1) / 2))

    def _own_labeled(self, chunk: np.ndarray) -> np.ndarray | None:
        """The chunk's labelled rows, when they give enough same-class pairs."""
        if self._balanced_pairs == 0:
            return None
        own = chunk[self.labels[chunk] >= 0]
        counts = np.bincount(self.labels[own], minlength=self._n_classes)
        if (counts * (counts - 1) / 2).sum() >= self._balanced_pairs / 2:
            return own
        return None

    def _balanced_labeled(self) -> np.ndarray:
        if len(self._class_members) < MIN_PARTNERED_CLASSES:
            return np.empty(0, dtype=np.intp)
        per_class, n_visit = self._per_class_and_visits()
        n_classes = len(self._class_members)
        picked = []
        for c in self.rng.choice(n_classes, size=n_visit, replace=False):
            members = self._class_members[c]
            size = min(per_class, len(members))
            picked.append(self.rng.choice(members, size=size, replace=False))
        return np.concatenate(picked)

    def _plan(self, chunk, pair_ids, triplet_ids) -> BatchPlan:
        balanced = self._own_labeled(chunk)
        if balanced is None:
            balanced = self._balanced_labeled()
        parts = [chunk, balanced]
        if pair_ids is not None:
            parts.append(self.pairs[pair_ids].ravel())
        if triplet_ids is not None:
            parts.append(self.triplets[triplet_ids].ravel())
        rows, inverse = np.unique(np.concatenate(parts), return_inverse=True)
        bounds = np.cumsum([len(p) for p in parts])
        empty = np.empty((0,), dtype=np.intp)
        plan = BatchPlan(
            rows=rows,
            balanced=inverse[bounds[0] : bounds[1]],
            neighbor_of=empty,
            neighbor_rows=empty,
            pairs=empty.reshape(0, 2),
            pair_similar=empty,
            triplets=empty.reshape(0, 3),
        )
        if self.neighbors is not None:
            pick = self.rng.randint(self.neighbors.shape[1], size=len(chunk))
            plan.neighbor_of = inverse[: len(chunk)]
            plan.neighbor_rows = self.neighbors[chunk, pick]
        start = bounds[1]
        if pair_ids is not None:
            plan.pairs = inverse[start : start + 2 * len(pair_ids)].reshape(-1, 2)
            plan.pair_similar = self.pair_similar[pair_ids]
            start += 2 * len(pair_ids)
        if triplet_ids is not None:
            plan.triplets = inverse[start : start + 3 * len(triplet_ids)].reshape(-1, 3)
        if len(parts) > 2:
            plan.reconstructed = np.unique(inverse[: bounds[1]])
        return plan


class _Tensors:
    """Dataclass mixin: move every tensor field to a device at once."""

    def to(self, device):
        return type(self)(
            **{
                f.name: getattr(self, f.name).to(device, non_blocking=True)
                for f in fields(self)
            }
        )


@dataclass
class BatchInputs(_Tensors):
    """What the network reads in one step: skorch's ``X``.

    ``len`` is the number of rows, as skorch expects.
    """

    X: torch.Tensor  # (n_rows, n_features)
    X_neighbor: torch.Tensor  # (n_anchor, n_features) one neighbour per chunk row
    reconstructed: torch.Tensor  # (n_reconstructed,) positions; empty: every row

    def __len__(self) -> int:
        return self.X.shape[0]


@dataclass
class BatchTargets(_Tensors):
    """What the objective compares the network's codes with: skorch's ``y``.

    Positions index the rows of the step's :class:`BatchInputs`.
    """

    labels: torch.Tensor  # (n_rows,) class index, -1 unlabelled
    balanced: torch.Tensor  # (n_balanced,) positions of class-balanced rows
    neighbor_of: torch.Tensor  # (n_anchor,) positions whose neighbour is X_neighbor
    pairs: torch.Tensor  # (n_pairs, 2) positions
    pair_similar: torch.Tensor  # (n_pairs,) 1 similar, 0 dissimilar
    triplets: torch.Tensor  # (n_triplets, 3) positions


class PlanDataset(Dataset):
    """Materialises a :class:`BatchPlan` as ``(BatchInputs, BatchTargets)``.

    ``X`` may be a float32 ``np.memmap`` (only the rows of a plan are read)
    or a scipy sparse matrix (only the rows of a plan are densified).
    ``input_classes``, when given, is each row's class by label spreading
    over the input graph, which the pseudo-labels must agree with.
    """

    def __init__(
        self,
        X: np.ndarray,
        labels: np.ndarray,
        sampler: PlanSampler,
        input_classes: np.ndarray | None = None,
    ) -> None:
        self.X = X
        # What the user gave; the sampler's labels may later hold pseudo-labels.
        self.true_labels = labels
        self.sampler = sampler
        self.input_classes = input_classes

    def __len__(self) -> int:
        return self.X.shape[0]

    def relabel(self, labels: np.ndarray) -> None:
        """Train on new labels from the next epoch on."""
        self.sampler.relabel(labels)

    def __getitem__(self, plan: BatchPlan) -> tuple[BatchInputs, BatchTargets]:
        inputs = BatchInputs(
            X=_rows(self.X, plan.rows),
            X_neighbor=_rows(self.X, plan.neighbor_rows),
            reconstructed=torch.from_numpy(plan.reconstructed),
        )
        targets = BatchTargets(
            labels=torch.from_numpy(self.sampler.labels[plan.rows]),
            balanced=torch.from_numpy(plan.balanced),
            neighbor_of=torch.from_numpy(plan.neighbor_of),
            pairs=torch.from_numpy(plan.pairs),
            pair_similar=torch.from_numpy(plan.pair_similar),
            triplets=torch.from_numpy(plan.triplets),
        )
        return inputs, targets


def _rows(X, index: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(dense_rows(X, index))
