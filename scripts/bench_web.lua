-- wrk script for scripts/bench_web.py.
-- BENCH_PATHS (space-separated) makes each connection cycle through those
-- paths, for a mix of pages; without it wrk requests the URL it was given.
-- At the end one line "BENCH_JSON {...}" reports the run for the Python side.

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "%S+") do
  table.insert(paths, path)
end

if #paths > 0 then
  local next_index = 0
  request = function()
    next_index = next_index % #paths + 1
    return wrk.format("GET", paths[next_index])
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, '
      .. '"errors_status": %d, "errors_timeout": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean
  ))
end
