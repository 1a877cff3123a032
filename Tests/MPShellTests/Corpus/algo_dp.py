def lcs(a, b):
    dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            dp[i][j] = dp[i-1][j-1] + 1 if a[i-1] == b[j-1] else max(dp[i-1][j], dp[i][j-1])
    return dp[-1][-1]
def coins(amount, denoms):
    ways = [1] + [0] * amount
    for c in denoms:
        for v in range(c, amount + 1):
            ways[v] += ways[v - c]
    return ways[amount]
def knap(items, cap):
    best = [0] * (cap + 1)
    for w, v in items:
        for c in range(cap, w - 1, -1):
            best[c] = max(best[c], best[c - w] + v)
    return best[cap]
print(lcs("ABCBDAB", "BDCABA"), coins(100, [1, 5, 10, 25]), knap([(2, 3), (3, 4), (4, 5), (5, 6)], 5))
memo = {}
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    if (r, c) not in memo:
        memo[(r, c)] = paths(r - 1, c) + paths(r, c - 1)
    return memo[(r, c)]
print(paths(16, 16))
