"""The training machinery behind the embedders (private).

One module per concept, in the order data flows through a fit:
``assemble`` (the net and the dataset from the estimator's parameters),
``neighbors`` (input-space neighbour table), ``batches`` (batch plans and
their tensors), ``mlp``/``conv``/``autoencoder`` (the torch modules),
``augment`` (random affine views), ``mining`` and ``distances`` (which pairs
and triplets a loss sees), ``loss_parts`` (the names of the losses and of
the loss's parts), ``objective`` (the blended loss), ``skorch_net``
(skorch's hooks), ``pseudo_labels`` (a callback), ``setup`` (device,
optimiser, seeding), ``inference`` (chunked forward passes) and ``rows``
(reading rows of a dense, memmapped or sparse ``X`` as dense arrays, a
batch at a time). Nothing is imported here, so that importing one module
never drags in the others.
"""
