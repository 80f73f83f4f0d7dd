"""The command line's helpers: reading data files (``data``) and writing
results (``output``). The parser and the main job live in
:mod:`sk_metricembed.cli`."""
