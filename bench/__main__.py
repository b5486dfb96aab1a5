"""``python -m bench [--only <names>] [--quick]``: names from bench.runner.BENCHMARKS."""

from bench.runner import main

raise SystemExit(main())
