"""The command line's helpers: its arguments (``arguments``), reading data
files (``data``), computing features (``features``) and writing results
(``output``). The main job lives in :mod:`sk_metricembed.cli`."""
