"""The command line's rooms: reading data files (``data``) and writing
results (``output``). The parser and the main job live in
:mod:`sk_metricembed.cli`."""
