"""Writes of the engine. Import from the submodules: jobs, dispatch, execute, hooks, sweep."""
