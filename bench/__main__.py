"""``python -m bench [--only execution,schedule,priority,enqueue,callbacks] [--quick]``."""

from bench.runner import main

raise SystemExit(main())
