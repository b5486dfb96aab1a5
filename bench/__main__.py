"""``python -m bench [--only execution,schedule,priority,enqueue] [--quick]``."""

from bench.runner import main

raise SystemExit(main())
