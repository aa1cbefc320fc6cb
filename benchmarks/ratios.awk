# The table and RATIO lines of benchmarks/run, from our side's and the peer's RESULT/CHECK lines:
#   awk -F'\t' -f benchmarks/ratios.awk OURS.out PEER.out
# RATIO <row> ours/peer for every row both sides report, RATIO <row>_vs_plain for each of our rows
# with an in-process "plain_<row>" baseline; exit status 1 when no ratio could be formed.
FNR == 1 { side = (NR == FNR) ? "ours" : "peer" }
$1 == "RESULT" {
  key = $2 SUBSEP side
  all[key] = all[key] (all[key] == "" ? "" : " ") $5
  if (!(key in value) || $5 + 0 > value[key] + 0) {
    value[key] = $5
    rows[key] = sprintf("%-14s %-5s %-8s %-6s %10s  %s", $2, side, $3, $4, $5, $6)
  }
  if (!(key in seen)) { seen[key] = 1; keys[++n] = key; if (side == "ours") order[++m] = $2 }
}
$1 == "CHECK" { check[$2 SUBSEP side] = $3 }
END {
  printf "%-14s %-5s %-8s %-6s %10s  %s\n", "row", "side", "threads", "unit", "value", "API"
  for (i = 1; i <= n; i++) print rows[keys[i]]
  for (i = 1; i <= n; i++) {
    split(keys[i], k, SUBSEP)
    printf "rounds %-13s %-5s %s\n", k[1], k[2], all[keys[i]]
  }
  for (i = 1; i <= m; i++) {
    r = order[i]
    if ((r SUBSEP "ours") in check)
      printf "check %-14s ours %s peer %s (checksum of the work, see benchmarks/README.md)\n", r, check[r SUBSEP "ours"], check[r SUBSEP "peer"]
  }
  status = 0
  for (i = 1; i <= m; i++) {
    r = order[i]
    if (!((r SUBSEP "peer") in value)) continue   # an information row of ours, no peer
    if (value[r SUBSEP "peer"] <= 0) {
      print "run: no peer value for row " r > "/dev/stderr"; status = 1; continue
    }
    ratios++
    printf "RATIO %s %.2f\n", r, value[r SUBSEP "ours"] / value[r SUBSEP "peer"]
  }
  for (i = 1; i <= m; i++) {
    r = order[i]
    b = "plain_" r
    if (!((b SUBSEP "ours") in value) || value[b SUBSEP "ours"] <= 0) continue
    ratios++
    printf "RATIO %s_vs_plain %.2f\n", r, value[r SUBSEP "ours"] / value[b SUBSEP "ours"]
  }
  if (ratios == 0) { print "run: no row has both sides" > "/dev/stderr"; status = 1 }
  exit status
}
