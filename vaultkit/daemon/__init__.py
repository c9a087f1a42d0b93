"""Keeping outputs current: one sync pass, the file watcher that repeats it on
every change, and the background service around the watcher. Builds on
`vaultkit.outputs`; the CLI only wires these to commands.

* `sync`: one pass (stubs, calendar, dashboard, referral map) and what a
  watcher keeps between passes;
* `watcher`: the watch loop, wiring the parts below to the passes;
* `events`: which file events matter (the full scan's note rule);
* `debounce`: telling bursts of events apart;
* `schedule`: passes no event starts (midnight, an interview's end, retries);
* `memory`: keeping a long-running watcher small;
* `lifecycle`: one watcher's life (lock, log, state file, signals);
* `service`: the background daemon (start, stop, status, logs, unit files).
"""
