"""scikit-learn's common estimator checks on both embedders and the baseline."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed.model_selection import BaselineEmbedder

# Few epochs and a small network keep the whole suite fast; every check runs.
_FAST = dict(max_epochs=2, hidden_layer_sizes=(16,), latent_dim=2, batch_size=32)


@parametrize_with_checks(
    [
        SiameseAutoencoderEmbedder(**_FAST),
        TripletVAEEmbedder(**_FAST),
        BaselineEmbedder(),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
