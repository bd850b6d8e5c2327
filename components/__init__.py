"""The pipeline's KFP components: a thin entry point to the packaged code in `imi_lib/kfp/components/`.

The components live inside the installed package so `imi compile`, `imi submit` and `imi run` work
from a wheel with no checkout; this folder keeps the shape the project started with and re-exports
them, so `from components import train` still works in a checkout. One component per stage; each body
imports `imi_lib` and calls the stage's `run()`.
"""

from imi_lib.kfp.components import *  # noqa: F401,F403
from imi_lib.kfp.components import __all__  # noqa: F401
