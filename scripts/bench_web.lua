-- wrk script for scripts/bench_web.py.
--
-- Three ways to make requests:
-- * neither variable below: wrk requests the URL it was given;
-- * BENCH_PATHS (space-separated): each request is a GET of the next path,
--   cycling, for a mix of pages;
-- * BENCH_REQUESTS (a file written by bench_web.py, one request a line:
--   method TAB path TAB cookie TAB body): each request is the next line,
--   starting at line BENCH_START (default 1). With BENCH_CYCLE=1 the lines
--   are cycled; without it each line is sent at most once, and when the lines
--   run out every further request goes to /_bench/exhausted/ (a 404, counted
--   as an error and reported as "exhausted", so a run that ran dry is loud).
--
-- With BENCH_EXPECT (a status code) every response with another status counts
-- as unexpected. With BENCH_EXPECT_LOCATION too (a Lua pattern with one
-- capture, e.g. the requisition's id in /rekvisition/<id>/kvitto/) so does an
-- expected status whose Location header does not match; the captures are
-- reported, so bench_web.py can check them against the database.
--
-- At the end one line "BENCH_JSON {...}" reports the run for the Python side.
-- wrk runs with one thread, so "sent" (requests built) is the next line to use.

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "%S+") do
  table.insert(paths, path)
end

local requests_file = os.getenv("BENCH_REQUESTS") or ""
local expect = tonumber(os.getenv("BENCH_EXPECT") or "")
local expect_location = os.getenv("BENCH_EXPECT_LOCATION") or ""
local cycle = os.getenv("BENCH_CYCLE") == "1"
local start = tonumber(os.getenv("BENCH_START") or "1")

sent = 0
exhausted = 0
unexpected = 0
expected = 0
ids = {}

if requests_file ~= "" then
  local requests = {}
  for line in io.lines(requests_file) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { ["Cookie"] = cookie }
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  local exhausted_request = wrk.format("GET", "/_bench/exhausted/")

  request = function()
    local index = start + sent
    sent = sent + 1
    if cycle then
      return requests[(index - 1) % #requests + 1]
    end
    if index > #requests then
      exhausted = exhausted + 1
      return exhausted_request
    end
    return requests[index]
  end
elseif #paths > 0 then
  local next_index = 0
  request = function()
    next_index = next_index % #paths + 1
    return wrk.format("GET", paths[next_index])
  end
end

if expect then
  response = function(status, headers, body)
    if status ~= expect then
      unexpected = unexpected + 1
      return
    end
    if expect_location ~= "" then
      local id = (headers["Location"] or ""):match(expect_location)
      if not id then
        unexpected = unexpected + 1
        return
      end
      table.insert(ids, id)
    end
    expected = expected + 1
  end
end

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local counts = { sent = 0, exhausted = 0, unexpected = 0, expected = 0 }
  local all_ids = {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do
      counts[name] = counts[name] + (thread:get(name) or 0)
    end
    for _, id in ipairs(thread:get("ids") or {}) do
      table.insert(all_ids, string.format("%q", id))
    end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, '
      .. '"errors_status": %d, "errors_timeout": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
      .. '"sent": %d, "exhausted": %d, "unexpected": %d, "expected": %d, "ids": [%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    counts.sent, counts.exhausted, counts.unexpected, counts.expected,
    table.concat(all_ids, ",")
  ))
end
