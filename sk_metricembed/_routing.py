"""skorch's routed arguments: ``<prefix>__<argument>`` names the embedders take.

skorch's ``NeuralNet`` takes the arguments of its parts by prefixed names
(``optimizer__weight_decay``, ``callbacks__<name>__<param>``,
``iterator_train__num_workers``); the embedders take those, and the
arguments of a user's encoder and decoder (``encoder__width``), the same
way. Which prefixes exist, how a misspelt one is reported, and the
``get_params``/``set_params`` that carry them are here; ``__init__``
(:func:`._parameters.make_init`) accepts them, and the fit hands them to
the net (:mod:`._training.assemble`).
"""

from __future__ import annotations

from ._training.autoencoder import USER_MODULES

#: The parts of the skorch net whose arguments the embedders pass through by
#: skorch's names, ``<prefix>__<argument>``, and the user's modules, which
#: take theirs the same way.
ROUTED_PREFIXES = (
    "optimizer",
    "callbacks",
    "iterator_train",
    "iterator_valid",
    *USER_MODULES,
)


def is_routed(name: str) -> bool:
    """Whether ``name`` is a skorch argument the embedders pass through."""
    prefix, separator, argument = name.partition("__")
    return prefix in ROUTED_PREFIXES and bool(separator) and bool(argument)


def _unrouted_message(owner: str, name: str) -> str:
    message = f"{owner} got an unexpected keyword argument {name!r}"
    for prefix in ROUTED_PREFIXES:
        if name.startswith(prefix) and not is_routed(name):
            argument = name[len(prefix) :].lstrip("_")
            return f"{message}; did you mean {prefix}__{argument or '<argument>'}?"
    return message


class SkorchRoutingMixin:
    """``get_params`` and ``set_params`` that know skorch's routed arguments.

    scikit-learn reads an estimator's parameters from its ``__init__``'s
    signature; skorch's ``<prefix>__<argument>`` names are open-ended, so,
    as skorch's ``NeuralNet`` does, they are stored as attributes and added
    here, and ``clone`` passes them back to ``__init__``.
    """

    def get_params(self, deep: bool = True) -> dict:
        """Get the parameters, skorch's routed arguments included.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators (none here).

        Returns
        -------
        params : dict
            Parameter names mapped to their values.

        Examples
        --------
        >>> from sk_metricembed import TripletVAEEmbedder
        >>> embedder = TripletVAEEmbedder(optimizer__weight_decay=1e-4)
        >>> embedder.get_params()["optimizer__weight_decay"]
        0.0001
        """
        params = super().get_params(deep=deep)
        routed = sorted(name for name in vars(self) if is_routed(name))
        params.update((name, getattr(self, name)) for name in routed)
        return params

    def set_params(self, **params):
        """Set parameters, skorch's routed arguments included.

        Parameters
        ----------
        **params : dict
            Estimator parameters, and skorch's arguments by skorch's names
            (``optimizer__weight_decay``, ``callbacks__<name>__<param>``,
            ``iterator_train__num_workers``, ...).

        Returns
        -------
        self : object
            The estimator.

        Examples
        --------
        >>> from sk_metricembed import SiameseAutoencoderEmbedder
        >>> embedder = SiameseAutoencoderEmbedder().set_params(
        ...     optimizer="sgd", optimizer__momentum=0.9)
        >>> embedder
        SiameseAutoencoderEmbedder(optimizer='sgd', optimizer__momentum=0.9)
        """
        routed = {}
        for name in list(params):
            if name.partition("__")[0] in ROUTED_PREFIXES and "__" in name:
                if not is_routed(name):
                    raise ValueError(
                        _unrouted_message(f"{type(self).__name__}.set_params", name)
                    )
                routed[name] = params.pop(name)
        super().set_params(**params)
        for name, value in routed.items():
            setattr(self, name, value)
        return self
