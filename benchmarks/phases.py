"""Our build's phases, timed in one Python process: load + validate, index, render.

Run as a child of the harness (`python -m benchmarks.phases PROJECT`) so that each measurement
starts cold, as `mkdocs build` does: no imported module, parsed template or cached Markdown
carried over from another size or run. Prints one JSON object.

- load_validate: `validate_folder(PROJECT/chronicle)`, reading and checking every record;
- index: `build_index(chronicle)`;
- render: `Renderer(...)` as the plugin makes it (override folder, edit links), `plans()`,
  then `render(plan)` of every plan: the HTML bodies of all generated pages, without the
  theme, the search index or writing files, which `mkdocs build` adds.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def measure(project: Path) -> dict[str, Any]:
    started = time.perf_counter()
    import mkdocs_chronicle
    from mkdocs_chronicle.index import build_index
    from mkdocs_chronicle.render import Renderer
    from mkdocs_chronicle.validate import validate_folder

    imported = time.perf_counter()
    result = validate_folder(project / "chronicle", "chronicle")
    validated = time.perf_counter()
    if result.chronicle is None:
        errors = [str(p) for p in result.problems if p.severity == "error"][:10]
        raise SystemExit("the generated chronicle does not validate:\n" + "\n".join(errors))
    index = build_index(result.chronicle)
    indexed = time.perf_counter()
    overrides = project / "overrides"
    renderer = Renderer(
        index,
        use_directory_urls=True,
        override_dirs=[overrides] if overrides.is_dir() else [],
        edit_url=lambda path: f"https://github.com/crisis-chronicle/crisis-chronicle/edit/main/{path}",
    )
    plans = renderer.plans()
    planned = time.perf_counter()
    html_bytes = 0
    for plan in plans:
        html_bytes += len(renderer.render(plan).encode("utf-8"))
    rendered = time.perf_counter()
    return {
        "import": imported - started,
        "load_validate": validated - imported,
        "index": indexed - validated,
        "plan": planned - indexed,
        "render": rendered - indexed,  # plans() and every render(plan)
        "pages": len(plans),
        "statements": len(result.chronicle.statements),
        "problems": len(result.problems),
        "body_bytes": html_bytes,
        "package": str(Path(mkdocs_chronicle.__file__).resolve().parent),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a generated project (with chronicle/ and overrides/)")
    args = parser.parse_args()
    json.dump(measure(args.project.resolve()), sys.stdout)
    print()


if __name__ == "__main__":
    main()
