"""The IMI Train pipeline: a thin entry point to the packaged factory in `imi_lib/kfp/pipeline.py`.

`pipelines/imi_training.yaml` beside this file is the compiled pipeline (upload it in the KFP UI);
`make compile` regenerates it and a test fails when it is stale. The factory lives inside the
installed package so `imi compile`/`imi submit`/`imi run` need no checkout.

    python pipelines/imi_training.py [OUTPUT.yaml]     # same as `imi compile --output OUTPUT.yaml`
"""

import sys

from imi_lib.kfp.pipeline import *  # noqa: F401,F403
from imi_lib.kfp.pipeline import compile_pipeline

if __name__ == "__main__":
    compile_pipeline(sys.argv[1] if len(sys.argv) > 1 else "pipelines/imi_training.yaml")
