"""What `sop-run` shows while a month runs: each step as it ends (with its time and its checks), the
steps that run long, the forecast's progress as the forecast logged it, the run's warnings and errors,
and the run's end.

On a terminal it is one status line with a progress bar, redrawn in place above which the ended steps
stay; in a log file or under CI, plain lines: one per step end, one when a step has run for
`LONG_STEP_SECONDS`, and the forecast's INFO lines (about every tenth of each segment).

The run executes in Dagster's executor, which calls nothing of ours as it goes; what it records does
show in the instance's event log as it happens. So the display is three parts:
- `events`: what an event log entry tells of the run (`observe`);
- `display`: the run as told so far and the lines that show it (`RunProgress`, no I/O);
- `watcher`: the thread that finds the run by its tag, follows its event log and writes the lines
  (`RunWatcher`).
"""

from pipelines.progress.watcher import RunWatcher

__all__ = ["RunWatcher"]
