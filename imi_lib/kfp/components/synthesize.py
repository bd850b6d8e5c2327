from kfp import dsl
from kfp.dsl import Dataset, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def synthesize(num_examples: int, seed: int, synthetic: Output[Dataset]):
    """Step 1.3: generate synthetic triage, pharmacy, decision, USMLE and compliance cases.

    Args:
        num_examples: how many examples to generate.
        seed: random seed; the same seed gives the same examples.
        synthetic: the generated records.
    """
    from imi_lib.core import config
    from imi_lib.data import synthesize as stage

    stage.run(config.from_dict(stage.SynthesizeConfig, {
        "num_examples": num_examples, "seed": seed, "out_dir": synthetic.path}))
