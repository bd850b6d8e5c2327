"""kfp: running the stages as a Kubeflow pipeline. May import every group; only kfp and the CLI import kfp.

components/ (one lightweight KFP component per stage, each body a call to
the stage's run()), pipeline (the pipeline factory and cluster settings),
local_run (`imi run`: the same pipeline with kfp.local), compile, submit and
schedule (`imi compile|submit|schedule`: the pipeline as YAML, on a KFP server).
"""
