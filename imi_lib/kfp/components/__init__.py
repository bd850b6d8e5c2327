"""One thin KFP component per stage: unpack artifact paths and parameters, call the stage's `run()`.

The bodies are lightweight Python components: KFP embeds each function's
source in the compiled YAML and runs it in `imi_lib.kfp.components.images` (where
`imi_lib` is installed) on a cluster, or in this venv under `kfp.local`. So a
body imports `imi_lib` inside itself and holds no logic of its own; the
docstring's `Args:` is what the KFP UI shows.
"""

from imi_lib.kfp.components.collect import collect
from imi_lib.kfp.components.evaluate import evaluate
from imi_lib.kfp.components.fingerprint import fingerprint
from imi_lib.kfp.components.ingest import ingest
from imi_lib.kfp.components.prepare import prepare
from imi_lib.kfp.components.publish import publish
from imi_lib.kfp.components.report import report
from imi_lib.kfp.components.synthesize import synthesize
from imi_lib.kfp.components.train import train

__all__ = ["fingerprint", "collect", "ingest", "synthesize", "prepare", "train", "evaluate", "report", "publish"]
