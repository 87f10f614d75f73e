-- Alternate the team page and the API list endpoint (each request gets its own headers).
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("GET", os.getenv("TEAM_PATH"), { ["Cookie"] = os.getenv("COOKIE") })
  end
  return wrk.format("GET", os.getenv("API_PATH"), { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") })
end
