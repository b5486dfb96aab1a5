"""The run's results: ``bench/results/latest.json`` (small, diff-friendly) and a Markdown table."""

import json

from bench.env import RESULTS_DIR

COLUMNS = ("benchmark", "figure", "in-run baseline", "ratio", "target", "met")


def _number(value, unit: str = "", prefix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return f"{prefix}{value} {unit}".strip()
    if isinstance(value, float) and value >= 100:
        text = f"{value:,.0f}"
    elif isinstance(value, float):
        text = f"{value:.3g}"
    else:
        text = f"{value:,}"
    return f"{prefix}{text} {unit}".strip()


def table_rows(results: dict) -> list[tuple[str, ...]]:
    rows = []
    for name, result in results["benchmarks"].items():
        if result["status"] == "skipped":
            rows.append((name, f"skipped: {result.get('reason', '')}", "", "", "", ""))
            continue
        if result["status"] == "error":
            rows.append((name, f"error: {result.get('reason', '')[:80]}", "", "", "", ""))
            continue
        for row in result.get("rows", []):
            baseline = row.get("baseline")
            label = row.get("baseline_label", "")
            ratio = row.get("ratio")
            met = row.get("met")
            rows.append(
                (
                    row["metric"],
                    _number(row.get("value"), row.get("unit", ""), row.get("prefix", "")),
                    f"{_number(baseline, row.get('baseline_unit', row.get('unit', '')))} ({label})"
                    if baseline is not None or label
                    else "",
                    f"{ratio}×" if ratio is not None else "–",
                    row.get("target", ""),
                    "" if met is None else ("yes" if met else "**no**"),
                )
            )
    return rows


def markdown(results: dict) -> str:
    lines = [
        f"# Fusion benchmarks — {results['finished_at']}",
        "",
        f"Command: `{results['command']}` ({results['mode']}); machine: {results['machine_line']}.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    lines += ["", "## What bounds each figure", ""]
    for name, result in results["benchmarks"].items():
        if result.get("bound"):
            lines.append(f"- **{name}**: {result['bound']}")
        if result.get("reason") and result["status"] != "ok":
            lines.append(f"- **{name}** ({result['status']}): {result['reason']}")
    lines += ["", "## Load from other processes on the machine while each ran", ""]
    for name, result in results["benchmarks"].items():
        others = result.get("machine_others") or {}
        lines.append(
            f"- {name}: {others.get('other_cores_mean')} cores on average "
            f"(max {others.get('other_cores_max')}) over {result.get('seconds')} s; "
            f"{others.get('other_cores_at_start')} at its start (after waiting "
            f"{others.get('waited_s')} s for a quiet moment)"
        )
    lines.append("")
    return "\n".join(lines)


def write(results: dict) -> str:
    """Write latest.json and latest.md; the Markdown text."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (RESULTS_DIR / "latest.md").write_text(text)
    return text
