"""`imi report`: one page with every evaluated adapter's metrics and loss curve.

It reads what train and evaluate leave behind, wherever that is: the guide's
`adapters/<name>/` directories, or the separate model and evaluation
artifact directories of a pipeline run. Per adapter it shows the quality gate,
base vs adapter perplexity, every other number in `evaluation_results.json`,
and the training loss curve as an inline SVG (no plotting library, so the
report is one self-contained file the KFP UI can show).

    imi report --adapters-dir adapters --out adapters/report.html
    imi report --inputs runs/x/model,runs/x/results --out report.md

`find_adapter_runs` is also what `imi publish` uses to find adapters and
their gate decisions, and `ui_metrics` is what the pipeline logs as KFP
Metrics.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from imi_lib.core import config
from imi_lib.core.adapters import ADAPTERS
from imi_lib.core.errors import UserError
from imi_lib.core.provenance import ADAPTER_CONFIG_FILE, RESULTS_FILE, TRAINING_LOG, read_json

# Directories train leaves inside an adapter directory that are not the adapter.
CHECKPOINT_PREFIX = "checkpoint"
# How deep to look for adapter files below each input directory. Pipeline
# artifacts hold them at depth 0 or 1 (`<artifact>/<adapter>/`).
SEARCH_DEPTH = 2


@dataclass
class ReportConfig:
    adapters_dir: str = config.option("adapters", "directory with one sub-directory per adapter (train/evaluate output)")
    inputs: list[str] = config.option(
        help="directories to read instead of --adapters-dir (comma-separated), e.g. a pipeline's model and "
             "evaluation artifact directories; adapters found in several are merged by name",
        default_factory=list)
    out: str = config.option("", "report file, .html or .md (default: <adapters-dir>/report.html)")
    summary_out: str = config.option("", "JSON summary of the report (default: the report path with .json)")


@dataclass
class AdapterRun:
    """Everything known about one adapter after train and evaluate."""

    adapter: str
    model_dir: str = ""  # holds adapter_config.json and the weights
    results_path: str = ""  # evaluation_results.json
    results: dict = field(default_factory=dict)
    log_path: str = ""  # training_log.jsonl
    loss_log: list[dict] = field(default_factory=list)

    @property
    def passed_gate(self) -> bool | None:
        v = self.results.get("passed_gate")
        return v if isinstance(v, bool) else None

    def perplexity(self, which: str) -> float | None:
        ppl = self.results.get("perplexity")
        v = ppl.get(which) if isinstance(ppl, dict) else None
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


# ---- finding adapters -------------------------------------------------------

def _candidate_dirs(root: Path) -> list[Path]:
    out, frontier = [], [root]
    for _ in range(SEARCH_DEPTH + 1):
        nxt = []
        for d in frontier:
            out.append(d)
            nxt += sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith(CHECKPOINT_PREFIX))
        frontier = nxt
    return out


def _adapter_name(d: Path, results: dict | None = None) -> str | None:
    """An adapter directory's name: from the results, a JSON beside them, or the directory name."""
    if results and results.get("adapter") in ADAPTERS:
        return results["adapter"]
    for p in sorted(d.glob("*.json")):
        if p.name == ADAPTER_CONFIG_FILE:
            continue
        name = read_json(p, default={}).get("adapter")
        if name in ADAPTERS:
            return name
    return d.name if d.name in ADAPTERS else None


def read_training_log(path: Path) -> list[dict]:
    """Entries of a training log that carry a loss (train or eval), in order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed run; the rest is still worth plotting
        if isinstance(row, dict) and any(_num(row.get(k)) is not None for k in ("loss", "eval_loss")):
            rows.append(row)
    return rows


def find_adapter_runs(dirs: list[str | Path]) -> list[AdapterRun]:
    """Adapters found under `dirs` (merged by name), in the guide's adapter order."""
    runs: dict[str, AdapterRun] = {}
    for root in dirs:
        root = Path(root)
        if not root.is_dir():
            raise UserError(f"{root}: no such directory")
        for d in _candidate_dirs(root):
            results_file = d / RESULTS_FILE
            results = read_json(results_file) if results_file.is_file() else None
            has_model = (d / ADAPTER_CONFIG_FILE).is_file()
            has_log = (d / TRAINING_LOG).is_file()
            if results is None and not has_model and not has_log:
                continue
            name = _adapter_name(d, results)
            if name is None:
                continue
            run = runs.setdefault(name, AdapterRun(name))
            if results is not None and not run.results_path:
                run.results_path, run.results = str(results_file), results
            if has_model and not run.model_dir:
                run.model_dir = str(d)
            if has_log and not run.log_path:
                run.log_path = str(d / TRAINING_LOG)
                run.loss_log = read_training_log(d / TRAINING_LOG)
    order = {a: i for i, a in enumerate(ADAPTERS)}
    return sorted(runs.values(), key=lambda r: order[r.adapter])


# ---- numbers ----------------------------------------------------------------

def _num(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def flatten_scalars(d: dict, prefix: str = "") -> dict[str, float | bool | str]:
    """Nested results as `a.b` keys, keeping numbers, booleans and short strings."""
    out: dict = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten_scalars(v, key + "."))
        elif isinstance(v, bool) or _num(v) is not None:
            out[key] = v
        elif isinstance(v, str) and len(v) <= 80:
            out[key] = v
    return out


# Sections of evaluation_results.json that hold measurements (the rest is provenance:
# config, versions, base model, samples...). Top-level numbers count too, except these.
METRIC_SECTIONS = ("perplexity", "mcq", "accuracy", "metrics")
NOT_METRICS = ("seconds", "max_seq_length")


def metric_values(results: dict) -> dict[str, float | bool]:
    """The measurements in an evaluation_results.json, flattened to `a.b` keys."""
    out: dict = {}
    for k, v in results.items():
        if k in METRIC_SECTIONS and isinstance(v, dict):
            out.update({key: x for key, x in flatten_scalars(v, k + ".").items() if not isinstance(x, str)})
        elif k == "passed_gate" and isinstance(v, bool):
            out[k] = v
        elif k not in NOT_METRICS and _num(v) is not None:
            out[k] = v
    return out


def ui_metrics(results: dict, prefix: str = "") -> dict[str, float]:
    """The measurements of an evaluation_results.json as KFP Metrics (booleans as 0/1).

    KFP metric names allow letters, digits, `-` and `_`: nested keys join with `_`.
    """
    return {(prefix + k).replace(".", "_").replace("/", "_"): float(v) for k, v in metric_values(results).items()}


def write_kfp_metrics(artifact, values: dict[str, float]) -> None:
    """Log `values` on a KFP `Output[Metrics]` and write them into its file as JSON.

    The file matters: kfp.local treats an output artifact whose file is
    missing as a cache miss, so a Metrics output with only metadata would make
    its task (and everything downstream) rerun every time.
    """
    for name, value in values.items():
        artifact.log_metric(name, value)
    path = Path(artifact.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# ---- rendering --------------------------------------------------------------

def loss_curve_svg(rows: list[dict], width: int = 360, height: int = 150, *, val_loss: float | None = None,
                   base_val_loss: float | None = None) -> str:
    """An inline SVG line chart of train loss (and eval loss when logged) against step.

    `val_loss` (the adapter's, from evaluation) is marked as a point at the last step and
    `base_val_loss` (the base model's on the same records) as a dashed line, so the curve reads
    against where training started and where it ended on held-out data.
    """
    series = {}
    for key, color in (("loss", "#1f77b4"), ("eval_loss", "#d62728")):
        pts = [(_num(r.get("step")), _num(r.get(key))) for r in rows]
        pts = [(s, v) for s, v in pts if s is not None and v is not None]
        if not pts:  # logs without a step column: plot in logging order
            pts = [(float(i), _num(r.get(key))) for i, r in enumerate(rows) if _num(r.get(key)) is not None]
        if pts:
            series[key] = (pts, color)
    if not series:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><text x="10" y="20" font-size="12">no loss logged</text></svg>'.format(w=width, h=height)
    xs = [x for pts, _ in series.values() for x, _ in pts]
    ys = [y for pts, _ in series.values() for _, y in pts] + [v for v in (val_loss, base_val_loss) if v is not None]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    left, right, top, bottom = 44, 8, 8, 22
    pw, ph = width - left - right, height - top - bottom

    def sx(x):
        return left + (x - x0) / (x1 - x0) * pw

    def sy(y):
        return top + (1 - (y - y0) / (y1 - y0)) * ph

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
             f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>',
             f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{y1:.3g}</text>',
             f'<text x="{left - 4}" y="{top + ph}" text-anchor="end">{y0:.3g}</text>',
             f'<text x="{left}" y="{height - 6}">step {x0:.0f}</text>',
             f'<text x="{left + pw}" y="{height - 6}" text-anchor="end">{x1:.0f}</text>']
    for key, (pts, color) in series.items():
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(f'<polyline class="{key}" fill="none" stroke="{color}" stroke-width="1.5" points="{coords}"/>')
        if len(pts) == 1:
            x, y = pts[0]
            parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2" fill="{color}"/>')
    legend = [(key, color) for key, (_pts, color) in series.items()]
    if base_val_loss is not None:
        y = sy(base_val_loss)
        parts.append(f'<line class="base-val-loss" x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#888" stroke-dasharray="4 3"/>')
        legend.append((f"base val {base_val_loss:.3g}", "#888"))
    if val_loss is not None:
        parts.append(f'<circle class="val-loss" cx="{sx(x1):.1f}" cy="{sy(val_loss):.1f}" r="4" fill="#2ca02c"/>')
        legend.append((f"val {val_loss:.3g}", "#2ca02c"))
    legend_x = left + 6
    for i, (key, color) in enumerate(legend):
        parts.append(f'<text x="{legend_x + 78 * i}" y="{top + 12}" fill="{color}">{key}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _val_losses(run: "AdapterRun") -> tuple[float | None, float | None]:
    """(adapter, base) val loss from the evaluation's perplexities (log perplexity = mean NLL)."""
    a, b = run.perplexity("adapter"), run.perplexity("base")
    return (math.log(a) if a and a > 0 else None), (math.log(b) if b and b > 0 else None)


def perplexity_chart_svg(runs: list["AdapterRun"], width: int = 560) -> str:
    """Bars of base vs adapter val perplexity per adapter, with the relative change."""
    rows = [(r.adapter, r.perplexity("base"), r.perplexity("adapter")) for r in runs]
    rows = [(n, b, a) for n, b, a in rows if b is not None and a is not None]
    if not rows:
        return ""
    bar, gap, label_w, top = 11, 10, 140, 22
    height = top + len(rows) * (2 * bar + gap) + 8
    vmax = max(max(b, a) for _n, b, a in rows)
    pw = width - label_w - 90

    def w(v):
        return max(1.0, v / vmax * pw)

    parts = [f'<svg class="ppl-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             f'<rect x="{label_w}" y="4" width="10" height="10" fill="#bbb"/><text x="{label_w + 14}" y="13">base</text>',
             f'<rect x="{label_w + 60}" y="4" width="10" height="10" fill="#1f77b4"/>'
             f'<text x="{label_w + 74}" y="13">adapter (val perplexity, lower is better)</text>']
    for i, (name, b, a) in enumerate(rows):
        y = top + i * (2 * bar + gap)
        change = (a - b) / b * 100
        parts += [f'<text x="{label_w - 6}" y="{y + bar + 4}" text-anchor="end">{html.escape(name)}</text>',
                  f'<rect x="{label_w}" y="{y}" width="{w(b):.1f}" height="{bar}" fill="#bbb"/>',
                  f'<text x="{label_w + w(b) + 4:.1f}" y="{y + bar - 2}">{b:.3g}</text>',
                  f'<rect x="{label_w}" y="{y + bar}" width="{w(a):.1f}" height="{bar}" fill="#1f77b4"/>',
                  f'<text x="{label_w + w(a) + 4:.1f}" y="{y + 2 * bar - 2}">{a:.3g} ({change:+.0f}%)</text>']
    parts.append("</svg>")
    return "".join(parts)


def samples_table_html(samples: list[dict], limit: int = 5) -> str:
    """Reference, base and adapter side by side, one row per sample prompt."""
    esc = html.escape
    out = ['<table class="samples"><tr><th>prompt</th><th>reference</th><th>base model</th><th>adapter</th></tr>']
    for s in samples[:limit]:
        def cell(key):
            ended = s.get(f"{key}_ended")
            note = f'<br><small>stopped: {esc(ended.replace("_", " "))}</small>' if ended else ""
            return f'<td class="sample">{esc(str(s.get(key) or "(empty)"))}{note}</td>'
        prompt = str(s.get("prompt", ""))
        out.append(f'<tr><td class="sample"><small>{esc(prompt[-600:])}</small></td>{cell("reference")}'
                   f'{cell("base")}{cell("adapter")}</tr>')
    out.append("</table>")
    return "".join(out)


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _gate_text(run: AdapterRun) -> str:
    return {True: "PASSED", False: "FAILED", None: "not evaluated"}[run.passed_gate]


def _loss_summary(run: AdapterRun) -> str:
    losses = [_num(r.get("loss")) for r in run.loss_log if _num(r.get("loss")) is not None]
    if not losses:
        return "-"
    return f"{losses[0]:.3f} → {losses[-1]:.3f}"


def headline_pairs(runs: list[AdapterRun]) -> list[tuple[str, str, str]]:
    """(label, base key, adapter key) of every base-vs-adapter measurement, for the summary table.

    `perplexity.base`/`perplexity.adapter` -> "perplexity"; `mcq.medqa_test.base_acc`/`...adapter_acc`
    -> "mcq.medqa_test.acc". Raw sums (nll) and normalised variants stay in each adapter's details.
    """
    keys: list[str] = []
    for r in runs:
        keys += [k for k in metric_values(r.results) if k not in keys]
    out = []
    for k in keys:
        head, _, last = k.rpartition(".")
        if last == "base":
            partner, label = f"{head}.adapter", head
        elif last.startswith("base_"):
            partner, label = f"{head}.adapter_{last[5:]}", f"{head}.{last[5:]}"
        else:
            continue
        if partner in keys and "nll" not in label and "norm" not in label:
            out.append((label, k, partner))
    return out


def _pair_cell(flat: dict, base_key: str, adapter_key: str) -> str:
    if base_key not in flat and adapter_key not in flat:
        return "-"
    text = f"{_fmt(flat.get(base_key, '-'))} → {_fmt(flat.get(adapter_key, '-'))}"
    n = flat.get(base_key.rpartition(".")[0] + ".n")
    return text + (f" (n={_fmt(n)})" if n is not None else "")


def render_html(runs: list[AdapterRun], title: str = "IMI Train report") -> str:
    esc = html.escape
    pairs = headline_pairs(runs)
    passed = sum(1 for r in runs if r.passed_gate)
    out = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}"
        "td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:right}"
        "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}"
        ".pass{color:#1a7f37;font-weight:bold}.fail{color:#cf222e;font-weight:bold}"
        "section{margin:1.5em 0}code{font-size:12px}"
        "td.sample{text-align:left;vertical-align:top;white-space:pre-wrap;max-width:28em}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{len(runs)} adapter(s); {passed} passed the quality gate (adapter perplexity below the base "
        f"model's times the gate threshold). Cells read base → adapter.</p>",
        "<table><tr><th>adapter</th><th>gate</th><th>train loss (first → last)</th>"
        + "".join(f"<th>{esc(label)}</th>" for label, _b, _a in pairs) + "</tr>",
    ]
    for r in runs:
        flat = metric_values(r.results)
        cls = {True: "pass", False: "fail", None: ""}[r.passed_gate]
        out.append(f'<tr><td><a href="#{esc(r.adapter)}">{esc(r.adapter)}</a></td>'
                   f'<td class="{cls}">{_gate_text(r)}</td><td>{esc(_loss_summary(r))}</td>'
                   + "".join(f"<td>{esc(_pair_cell(flat, b, a))}</td>" for _label, b, a in pairs) + "</tr>")
    out.append("</table>")
    out.append(perplexity_chart_svg(runs))
    for r in runs:
        out.append(f'<section id="{esc(r.adapter)}"><h2>{esc(r.adapter)} — {_gate_text(r)}</h2>')
        val, base_val = _val_losses(r)
        out.append(loss_curve_svg(r.loss_log, val_loss=val, base_val_loss=base_val))
        out.append("<ul>")
        for label, value in (("adapter", r.model_dir), ("evaluation", r.results_path), ("training log", r.log_path)):
            if value:
                out.append(f"<li>{label}: <code>{esc(value)}</code></li>")
        out.append("</ul>")
        flat = metric_values(r.results)
        if flat:
            out.append("<details><summary>all measurements</summary><table>")
            out += [f"<tr><td>{esc(k)}</td><td>{esc(_fmt(v))}</td></tr>" for k, v in flat.items()]
            out.append("</table></details>")
        samples = r.results.get("samples") or r.results.get("sample_generations")
        if isinstance(samples, list) and samples:
            out.append("<h3>Sample generations (greedy)</h3>")
            out.append(samples_table_html(samples))
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_markdown(runs: list[AdapterRun], title: str = "IMI Train report") -> str:
    pairs = headline_pairs(runs)
    lines = [f"# {title}", "",
             f"{len(runs)} adapter(s); {sum(1 for r in runs if r.passed_gate)} passed the quality gate. "
             "Cells read base → adapter.", "",
             "| adapter | gate | train loss | " + " | ".join(label for label, _b, _a in pairs) + " |",
             "|---|---|---|" + "---|" * len(pairs)]
    for r in runs:
        flat = metric_values(r.results)
        lines.append(f"| {r.adapter} | {_gate_text(r)} | {_loss_summary(r)} | "
                     + " | ".join(_pair_cell(flat, b, a) for _label, b, a in pairs) + " |")
    lines.append("")
    for r in runs:
        lines += [f"## {r.adapter}", "", loss_curve_svg(r.loss_log), ""]
        if r.model_dir:
            lines.append(f"- adapter: `{r.model_dir}`")
        if r.results_path:
            lines.append(f"- evaluation: `{r.results_path}`")
        lines += [f"- {k}: {_fmt(v)}" for k, v in metric_values(r.results).items()]
        lines.append("")
    return "\n".join(lines)


def summarize(runs: list[AdapterRun]) -> dict:
    return {
        "adapters": {
            r.adapter: {
                "passed_gate": r.passed_gate,
                "perplexity_base": r.perplexity("base"),
                "perplexity_adapter": r.perplexity("adapter"),
                "model_dir": r.model_dir,
                "results_path": r.results_path,
                "training_log": r.log_path,
                "loss_points": len(r.loss_log),
            }
            for r in runs
        },
        "evaluated": sum(1 for r in runs if r.results_path),
        "passed_gate": sum(1 for r in runs if r.passed_gate),
    }


def report_metrics(runs: list[AdapterRun]) -> dict[str, float]:
    """The numbers the KFP UI shows for the whole run."""
    out = {"adapters_evaluated": float(sum(1 for r in runs if r.results_path)),
           "adapters_passed_gate": float(sum(1 for r in runs if r.passed_gate))}
    for r in runs:
        if r.passed_gate is not None:
            out[f"{r.adapter}_passed_gate"] = float(r.passed_gate)
        for which in ("base", "adapter"):
            v = r.perplexity(which)
            if v is not None:
                out[f"{r.adapter}_perplexity_{which}"] = v
    return out


def run(cfg: ReportConfig) -> dict:
    from imi_lib.core.summary import StageTimer, print_summary

    timer = StageTimer("report")
    dirs = cfg.inputs or [cfg.adapters_dir]
    runs = find_adapter_runs(dirs)
    if not runs:
        raise UserError(f"no trained or evaluated adapter found under {', '.join(map(str, dirs))}")
    out = Path(cfg.out or Path(cfg.adapters_dir) / "report.html")
    text = render_markdown(runs) if out.suffix.lower() in (".md", ".markdown") else render_html(runs)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    summary = {"report": str(out), **summarize(runs), "metrics": report_metrics(runs)}
    summary_out = Path(cfg.summary_out or out.with_suffix(".json"))
    summary_out.parent.mkdir(parents=True, exist_ok=True)
    summary_out.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print_summary("report", {"adapters": len(runs), "evaluated": summary["evaluated"],
                             "passed_gate": summary["passed_gate"], "out": str(out)}, seconds=timer.seconds)
    return summary


def add_arguments(parser) -> None:
    config.add_arguments(parser, ReportConfig)


def main(args) -> int:
    run(config.from_args(ReportConfig, args))
    return 0
