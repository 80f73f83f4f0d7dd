"""Test session set-up shared by all test modules."""

import os

import torch

# Under pytest-xdist each worker gets one torch thread, so that two workers
# on two cores do not oversubscribe them.
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)
