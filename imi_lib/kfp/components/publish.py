from typing import List

from kfp import dsl
from kfp.dsl import Artifact, Input, Model, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def publish(models: Input[List[Model]], results: Input[List[Artifact]], registry_uri: str,
            published: Output[Artifact]):
    """Copy the adapters that passed the quality gate to the adapter registry (complete-or-absent).

    Args:
        models: the trained adapters.
        results: their evaluation results; only `"passed_gate": true` adapters are copied.
        registry_uri: registry prefix (s3:// or local); adapters land in `<registry>/<adapter>/<version>/`.
        published: JSON: what was published where, and what was skipped and why.
    """
    import json

    from imi_lib.core import config
    from imi_lib.evaluation import publish as stage

    out = stage.run(config.from_dict(stage.PublishConfig, {
        "inputs": [a.path for a in models] + [a.path for a in results], "registry_uri": registry_uri}))
    with open(published.path, "w") as fh:
        json.dump(out, fh, indent=2)
