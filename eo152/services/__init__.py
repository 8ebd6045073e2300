"""One function per task, for every front end: the CLI, the HTTP API and the pages call these
and nothing below them, so a task is done (and refused) the same way whichever door it came
through."""
